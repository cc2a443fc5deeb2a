{#-
    Walks each framework's tree from the root, multiplying weights on the way down: a node's
    effective weight is its share of the composite index. Also counts children, so leaves are
    known without trusting the macro's level numbers.
-#}
with recursive

nodes as (
    select * from {{ ref('stg_frameworks__nodes') }}
),

walked (framework_id, node_code, effective_weight, walk_depth) as (
    select
        nodes.framework_id,
        nodes.node_code,
        nodes.weight as effective_weight,
        0 as walk_depth
    from nodes
    where nodes.parent_code is null

    union all

    select
        children.framework_id,
        children.node_code,
        walked.effective_weight * children.weight as effective_weight,
        walked.walk_depth + 1 as walk_depth
    from walked
    inner join nodes as children
        on
            walked.framework_id = children.framework_id
            and walked.node_code = children.parent_code
),

child_counts as (
    select
        framework_id,
        parent_code as node_code,
        count(*) as n_children
    from nodes
    where parent_code is not null
    group by framework_id, parent_code
),

weighted as (
    select
        nodes.*,
        walked.effective_weight,
        walked.walk_depth,
        coalesce(child_counts.n_children, 0) as n_children,
        child_counts.n_children is null as is_leaf
    from nodes
    left join walked
        on
            nodes.framework_id = walked.framework_id
            and nodes.node_code = walked.node_code
    left join child_counts
        on
            nodes.framework_id = child_counts.framework_id
            and nodes.node_code = child_counts.node_code
)

select * from weighted
