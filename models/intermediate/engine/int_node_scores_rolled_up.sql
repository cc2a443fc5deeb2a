{#-
    One row per framework × unit × node (leaves and every ancestor up to the root): each non-leaf
    score is the weighted mean of its children's scores over the children that have one
    (arithmetic by default, geometric where the node says so), weights renormalised.
    `coverage` is the share of the node's effective leaf weight (its leaves' shares of the
    composite) that has values; a node below var('min_coverage') gets no score. `is_imputed`
    marks nodes where any descendant leaf was missing. The tree is unrolled bottom-up one level
    at a time, frameworks_tree_depth() levels deep (the deepest tree).

    Exact and repeatable: sums are taken over lists sorted by node_code (DuckDB's parallel sum
    adds in any order, and sum() ignores an ORDER BY), and scores are clamped to [0, 100] so a
    unit scoring 100 everywhere gets 100, not 100.00000000000001.
-#}
{%- set max_depth = frameworks_tree_depth() %}
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
        nodes.effective_weight as leaf_weight,
        case when leaf_scores.is_missing then 0.0 else nodes.effective_weight end as covered_weight
    from leaf_scores
    inner join nodes
        on
            leaf_scores.framework_id = nodes.framework_id
            and leaf_scores.node_code = nodes.node_code
),
{%- for depth in range(max_depth - 1, -1, -1) %}

-- Scores of the non-leaf nodes at depth {{ depth }}, from their children at depth {{ depth + 1 }}:
-- one ordered list of the children per node (one sort, not one per sum), summed in order.
    children_{{ depth }} as (
        select
            children.framework_id,
            children.unit_id,
            children.unit_level,
            parents.node_code,
            parents.node_level,
            parents.aggregation,
            list(
                {
                    'covered_weight': children.covered_weight,
                    'leaf_weight': children.leaf_weight,
                    'weight': child_nodes.weight,
                    'score': children.score
                }
                order by children.node_code
            ) as child_list,
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

    -- `child` is a lambda parameter, not a table: sqlfluff's RF01 cannot tell.
    -- noqa: disable=RF01
    aggregated_{{ depth }} as (
        select
            grouped.framework_id,
            grouped.unit_id,
            grouped.unit_level,
            grouped.node_code,
            grouped.node_level,
            grouped.is_imputed,
            list_sum(list_transform(grouped.child_list, lambda child: child.covered_weight))
                as covered_weight,
            list_sum(list_transform(grouped.child_list, lambda child: child.leaf_weight))
                as leaf_weight,
            covered_weight / leaf_weight as coverage,
            list_sum(list_transform(
                list_filter(grouped.child_list, lambda child: child.score is not null),
                lambda child: child.weight
            )) as scored_weight,
            case
                when grouped.aggregation = 'geometric'
                    then exp(
                        list_sum(list_transform(
                            grouped.child_list,
                            lambda child: child.weight
                            * ln(greatest(child.score, {{ var('geometric_mean_floor') }}))
                        ))
                        / scored_weight
                    )
                else
                    list_sum(list_transform(
                        grouped.child_list, lambda child: child.weight * child.score
                    ))
                    / scored_weight
            end as weighted_mean
        from children_{{ depth }} as grouped
    ),
    -- noqa: enable=RF01

    level_{{ depth }} as (
        select * from level_{{ depth + 1 }}
        union all
        select
            framework_id,
            unit_id,
            unit_level,
            node_code,
            node_level,
            case
                when coverage >= {{ var('min_coverage') }} and scored_weight > 0
                    then least(greatest(weighted_mean, 0.0), 100.0)
            end as score,
            is_imputed,
            leaf_weight,
            covered_weight
        from aggregated_{{ depth }}
    ),
{%- endfor %}

rolled_up as (
    select
        * exclude (leaf_weight, covered_weight),
        covered_weight / leaf_weight as coverage
    from level_0
)

select * from rolled_up
