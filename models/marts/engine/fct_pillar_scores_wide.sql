{#-
    fct_pillar_scores pivoted for BI: one row per framework × unit, one column per pillar named
    as the framework's tree names it ("<name_zh> <name_en>"). The columns are every distinct
    pillar name of every framework (read from the tree macros when the view is compiled), so a
    framework's row fills its own pillars' columns and leaves the others null; frameworks that
    share a pillar name share its column.
-#}
{{ config(materialized='view') }}
{%- set pillar_names = [] %}
{%- for framework_id in frameworks_defined() %}
    {%- for node in framework_tree(framework_id) if node['level'] == 1 %}
        {%- if (node['name_zh'], node['name_en']) not in pillar_names %}
            {%- do pillar_names.append((node['name_zh'], node['name_en'])) %}
        {%- endif %}
    {%- endfor %}
{%- endfor %}
with

pillar_scores as (
    select * from {{ ref('fct_pillar_scores') }}
),

named as (
    select
        *,
        pillar_name_zh || ' ' || pillar_name_en as pillar_name
    from pillar_scores
),

pivoted as (
    select
        framework_id,
        unit_id,
        unit_level,
        {%- for name_zh, name_en in pillar_names %}
            max(score_0_100) filter (where pillar_name = {{ dbt.string_literal(name_zh ~ ' ' ~ name_en) }})  -- noqa: LT05
                as "{{ (name_zh ~ ' ' ~ name_en) | replace('"', '""') }}",
        {%- endfor %}
        bool_or(is_synthetic) as is_synthetic
    from named
    group by framework_id, unit_id, unit_level
)

select * from pivoted
