{#-
    Yes/no (1/0) mapped to 100/0; direction −1 inverts (a "no" is the good answer).
    Args: value, direction.
-#}
{% macro normalise_boolean(value, direction) -%}
    case when {{ direction }} = -1 then 100.0 * (1 - {{ value }}) else 100.0 * {{ value }} end
{%- endmacro %}
