{#-
    One row per framework × unit × node (leaves and every ancestor up to the root): each non-leaf
    score is the weighted mean of its children's scores over the children that have one
    (arithmetic by default, geometric where the node says so), weights renormalised.
    `coverage` is the share of the node's effective leaf weight (its leaves' shares of the
    composite) that has values; a node below var('min_coverage') gets no score. `is_imputed`
    marks nodes where any descendant leaf was missing. The tree is unrolled bottom-up one level
    at a time, frameworks_tree_depth() levels deep (the deepest tree).

    Exact and repeatable: every sum is exact_sum() (decimal terms added exactly, so the order in
    which DuckDB's parallel aggregate meets the children does not matter), and scores are clamped
    to [0, 100] so a unit scoring 100 everywhere gets 100, not 100.00000000000001.
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
-- the four sums of the weighted mean, each exact (one GROUP BY, no sorting within groups).
    aggregated_{{ depth }} as (
        select
            children.framework_id,
            children.unit_id,
            children.unit_level,
            parents.node_code,
            parents.node_level,
            parents.aggregation,
            bool_or(children.is_imputed) as is_imputed,
            {{ exact_sum('children.covered_weight') }} as covered_weight,
            {{ exact_sum('children.leaf_weight') }} as leaf_weight,
            {{ exact_sum(
                'case when children.score is not null then child_nodes.weight end'
            ) }} as scored_weight,
            {{ exact_sum(
                "child_nodes.weight * case when parents.aggregation = 'geometric' "
                ~ "then ln(greatest(children.score, " ~ var('geometric_mean_floor') ~ ")) "
                ~ "else children.score end"
            ) }} as weighted_sum
        from level_{{ depth + 1 }} as children
        inner join nodes as child_nodes
            on
                children.framework_id = child_nodes.framework_id
                and children.node_code = child_nodes.node_code
        inner join nodes as parents
            on
                child_nodes.framework_id = parents.framework_id
                and child_nodes.parent_code = parents.node_code
        where children.node_level = {{ depth + 1 }}
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
            case
                when covered_weight / leaf_weight >= {{ var('min_coverage') }} and scored_weight > 0
                    then least(greatest(
                        case
                            when aggregation = 'geometric' then exp(weighted_sum / scored_weight)
                            else weighted_sum / scored_weight
                        end,
                        0.0
                    ), 100.0)
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
