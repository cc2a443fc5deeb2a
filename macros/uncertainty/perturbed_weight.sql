{#-
    A weight perturbed by a uniform draw u ∈ [0, 1): w · (1 + f · (2u − 1)), i.e.
    w · (1 + f · U(−1, 1)). Non-negative for 0 ≤ f < 1 (checked where f is declared); the
    caller renormalises among siblings. A null u (input not varied) leaves w unchanged.
    Args: weight, factor (f), uniform (u).
-#}
{% macro perturbed_weight(weight, factor, uniform) -%}
    {{ weight }} * (1.0 + coalesce({{ factor }} * (2.0 * {{ uniform }} - 1.0), 0.0))
{%- endmacro %}
