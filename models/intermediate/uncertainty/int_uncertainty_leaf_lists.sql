{#-
    One row per framework × normalisation variant × imputation rule × unit × leaf parent: the
    unit's leaf scores under that variant and rule as lists in a fixed child order (node_code),
    ready for list_dot_product against a draw's weight list — the fast path of the roll-up
    (README "How sure is a rank?"). Missing scores are 0 in `scores` and
    `log_scores` and 0 in `available`, so dot products sum only the children that have a score;
    `log_scores` holds ln(max(s, var('geometric_mean_floor'))), the zero-safe floor of the engine.
    The coverage parts use nominal weights: coverage is a property of the data, not of a draw.
-#}
with

leaf_scores as (
    select * from {{ ref('int_uncertainty_leaf_scores_varied') }}
),

leaves as (
    select * from {{ ref('int_framework_nodes_weighted') }}
    where is_leaf
),

listed as (
    select
        leaf_scores.framework_id,
        leaf_scores.normalisation_variant,
        leaf_scores.imputation,
        leaf_scores.unit_id,
        leaf_scores.unit_level,
        leaves.parent_code,
        list(coalesce(leaf_scores.score, 0.0) order by leaves.node_code) as scores,
        list(
            coalesce(ln(greatest(leaf_scores.score, {{ var('geometric_mean_floor') }})), 0.0)
            order by leaves.node_code
        ) as log_scores,
        list(
            case when leaf_scores.score is null then 0.0 else 1.0 end order by leaves.node_code
        ) as available,
        sum(leaves.weight) filter (where leaf_scores.score is not null) as available_nominal_weight,
        sum(leaves.weight) as total_nominal_weight
    from leaf_scores
    inner join leaves
        on
            leaf_scores.framework_id = leaves.framework_id
            and leaf_scores.node_code = leaves.node_code
    group by
        leaf_scores.framework_id,
        leaf_scores.normalisation_variant,
        leaf_scores.imputation,
        leaf_scores.unit_id,
        leaf_scores.unit_level,
        leaves.parent_code
)

select * from listed
