{#- The indicator trees live in macros (macros/frameworks/); this renders them as rows. -#}
with

rendered as (
    {{ render_framework_nodes() }}
),

typed as (
    select
        framework_id,
        cast(node_position as integer) as node_position,
        node_code,
        parent_code,
        cast(node_level as integer) as node_level,
        name_zh,
        name_en,
        cast(weight as double) as weight,
        indicator_type,
        source_ref,
        aggregation
    from rendered
)

select * from typed
