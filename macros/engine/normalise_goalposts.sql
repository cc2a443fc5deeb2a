{#-
    Fixed-goalpost score on 0–100, clipped: 100 · clip((x − L)/(U − L), 0, 1); direction −1
    scores (U − x)/(U − L). Goalposts keep scores comparable across years and samples.
    Args: SQL expressions for value, low, high, direction (1 or −1).
    Example: `{{ normalise_goalposts('value', 'goalpost_low', 'goalpost_high', 'direction') }}`.
-#}
{% macro normalise_goalposts(value, low, high, direction) -%}
    100.0 * greatest(0.0, least(1.0,
        case
            when {{ direction }} = -1 then ({{ high }} - {{ value }}) / ({{ high }} - {{ low }})
            else ({{ value }} - {{ low }}) / ({{ high }} - {{ low }})
        end
    ))
{%- endmacro %}
