{#-
    Ordinal level 1..K mapped linearly to 0–100: 100 · (x − 1)/(K − 1); direction −1 inverts.
    Args: value, levels (K), direction.
-#}
{% macro normalise_ordinal(value, levels, direction) -%}
    case
        when {{ direction }} = -1 then 100.0 * ({{ levels }} - {{ value }}) / ({{ levels }} - 1)
        else 100.0 * ({{ value }} - 1) / ({{ levels }} - 1)
    end
{%- endmacro %}
