{#- The short tier label a reader says (一线, 新一线, 二线, 三线, 四线) from a printed tier name
    such as 数字经济新一线城市. -#}
{% macro tier_label_zh(tier_name_zh) -%}
    regexp_extract({{ tier_name_zh }}, '(新一线|一线|二线|三线|四线)')
{%- endmacro %}

{#- One count column per tier label: <prefix>tier_1, <prefix>new_tier_1, … <prefix>tier_4. -#}
{% macro count_by_tier_label(label_column, prefix) -%}
    {%- set tiers = [('tier_1', '一线'), ('new_tier_1', '新一线'), ('tier_2', '二线'),
                     ('tier_3', '三线'), ('tier_4', '四线')] %}
    {%- for code, label in tiers %}
        count(*) filter (where {{ label_column }} = '{{ label }}') as {{ prefix }}{{ code }}
        {{- ',' if not loop.last }}
    {%- endfor %}
{%- endmacro %}
