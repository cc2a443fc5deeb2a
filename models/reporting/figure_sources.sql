{#-
    One row per reporting mart × column, from the project's own documentation (the dbt graph): the
    kind of figure it holds, by column prefix (published_*, computed_*) or an explicit
    meta.figure_kind, and whether it is synthetic in this build (computed from the shipped sample).
-#}
{%- set documented = [] %}
{%- if execute %}
    {%- for node in graph.nodes.values()
        if node.resource_type == 'model' and node.fqn[1] == 'reporting' %}
        {%- for column in node.columns.values() %}
            {%- if column.meta.figure_kind %}
                {%- set kind = column.meta.figure_kind %}
            {%- elif column.name.startswith('computed_') %}
                {%- set kind = 'computed' %}
            {%- elif column.name.startswith('published_') %}
                {%- set kind = 'published' %}
            {%- else %}
                {%- set kind = 'label' %}
            {%- endif %}
            {%- do documented.append((node.name, column.name, kind, column.description)) %}
        {%- endfor %}
    {%- endfor %}
{%- endif %}
with

rankings as (
    select * from {{ ref('rankings') }}
),

build as (
    select bool_or(computed_is_synthetic) as is_synthetic_sample
    from rankings
),

documented (mart_name, column_name, figure_kind, description) as (
    {%- if documented %}
        values
        {%- for mart_name, column_name, kind, description in documented %}
            (
                '{{ mart_name }}',
                '{{ column_name }}',
                '{{ kind }}',
                '{{ description | replace("'", "''") | trim }}'
            ){{ ',' if not loop.last }}
        {%- endfor %}
    {%- else %}
        select '', '', '', '' where false
    {%- endif %}
),

final as (
    select
        documented.mart_name,
        documented.column_name,
        documented.figure_kind,
        documented.description,
        documented.mart_name || '.' || documented.column_name as figure_source_id,
        documented.figure_kind = 'computed' and build.is_synthetic_sample as is_synthetic
    from documented
    cross join build
)

select * from final
