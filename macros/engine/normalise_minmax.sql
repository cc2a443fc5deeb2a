{#-
    Sample min-max score on 0–100 over the framework's units with a value; direction −1 scores
    (max − x)/(max − min). A zero range is an error (DuckDB `error()`), never a silent 0.
    Args: value, sample_min, sample_max, direction, label (text naming the indicator in the error).
-#}
{% macro normalise_minmax(value, sample_min, sample_max, direction, label) -%}
    case
        when {{ sample_max }} = {{ sample_min }}
            then error('min-max normalisation of ' || {{ label }} || ': zero range (every value is '
                || {{ sample_min }} || ')')
        when {{ direction }} = -1
            then 100.0 * ({{ sample_max }} - {{ value }}) / ({{ sample_max }} - {{ sample_min }})
        else 100.0 * ({{ value }} - {{ sample_min }}) / ({{ sample_max }} - {{ sample_min }})
    end
{%- endmacro %}
