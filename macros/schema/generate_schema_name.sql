{#-
    Use a model's custom schema verbatim (`marts`, not `main_marts`): BI tools and the
    refresh contract address `marts.<table>` directly. Models without one use the target schema.
-#}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {%- if custom_schema_name is none -%}
        {{ target.schema }}
    {%- else -%}
        {{ custom_schema_name | trim }}
    {%- endif -%}
{%- endmacro %}
