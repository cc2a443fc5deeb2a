with

weighted_nodes as (
    select * from {{ ref('int_framework_nodes_weighted') }}
),

final as (
    select
        framework_id,
        node_code,
        parent_code,
        -- `level` is a keyword, but it is the public column name BI tools use.
        node_level as level,  -- noqa: RF04
        node_position,
        name_zh,
        name_en,
        weight,
        effective_weight,
        n_children,
        is_leaf,
        indicator_type,
        aggregation,
        source_ref,
        framework_id || ':' || node_code as framework_node_id
    from weighted_nodes
)

select * from final
