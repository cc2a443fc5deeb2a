{#-
    One row per framework × unit × node (leaves and every ancestor up to the root): each non-leaf
    score is the weighted mean of its children's scores over the children that have one
    (arithmetic by default, geometric where the node says so), weights renormalised. A node
    with less than var('min_coverage') of its children's weight present gets no score;
    `is_imputed` marks nodes where any descendant leaf was missing. The tree is unrolled bottom-up
    one level at a time, var('max_tree_depth') levels deep.
-#}
{%- set max_depth = var('max_tree_depth') %}
with

leaf_scores as (
    select * from {{ ref('int_indicator_scores_normalised') }}
),

nodes as (
    select * from {{ ref('int_framework_nodes_weighted') }}
),

level_{{ max_depth }} as (
    select
        leaf_scores.framework_id,
        leaf_scores.unit_id,
        leaf_scores.unit_level,
        leaf_scores.node_code,
        nodes.node_level,
        leaf_scores.score,
        leaf_scores.is_missing as is_imputed,
        case when leaf_scores.is_missing then 0.0 else 1.0 end as coverage
    from leaf_scores
    inner join nodes
        on
            leaf_scores.framework_id = nodes.framework_id
            and leaf_scores.node_code = nodes.node_code
),
{%- for depth in range(max_depth - 1, -1, -1) %}

-- Scores of the non-leaf nodes at depth {{ depth }}, from their children at depth {{ depth + 1 }}.
    aggregated_{{ depth }} as (
        select
            children.framework_id,
            children.unit_id,
            children.unit_level,
            parents.node_code,
            parents.node_level,
            parents.aggregation,
            sum(child_nodes.weight) filter (where children.score is not null)
            / sum(child_nodes.weight) as coverage,
            case
                when parents.aggregation = 'geometric'
                    then exp(
                        sum(
                            child_nodes.weight
                            * ln(greatest(children.score, {{ var('geometric_mean_floor') }}))
                        )
                        / sum(child_nodes.weight) filter (where children.score is not null)
                    )
                else
                    sum(child_nodes.weight * children.score)
                    / sum(child_nodes.weight) filter (where children.score is not null)
            end as weighted_mean,
            bool_or(children.is_imputed) as is_imputed
        from level_{{ depth + 1 }} as children
        inner join nodes as child_nodes
            on
                children.framework_id = child_nodes.framework_id
                and children.node_code = child_nodes.node_code
        inner join nodes as parents
            on
                child_nodes.framework_id = parents.framework_id
                and child_nodes.parent_code = parents.node_code
        where child_nodes.node_level = {{ depth + 1 }}
        group by
            children.framework_id,
            children.unit_id,
            children.unit_level,
            parents.node_code,
            parents.node_level,
            parents.aggregation
    ),

    level_{{ depth }} as (
        select * from level_{{ depth + 1 }}
        union all
        select
            framework_id,
            unit_id,
            unit_level,
            node_code,
            node_level,
            case when coverage >= {{ var('min_coverage') }} then weighted_mean end as score,
            is_imputed,
            coverage
        from aggregated_{{ depth }}
    ),
{%- endfor %}

rolled_up as (
    select * from level_0
)

select * from rolled_up
