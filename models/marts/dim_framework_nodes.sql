with

weighted_nodes as (
    select * from {{ ref('int_framework_nodes_weighted') }}
),

final as (
    select
        framework_id || ':' || node_code as framework_node_id,
        framework_id,
        node_code,
        parent_code,
        node_level as level,
        node_position,
        name_zh,
        name_en,
        weight,
        effective_weight,
        n_children,
        is_leaf,
        indicator_type,
        source_ref
    from weighted_nodes
)

select * from final
