{#-
    Dominance: a unit at least as good on every level-1 pillar and strictly better on one must
    rank strictly higher (same framework and unit level). Holds for any monotone aggregation,
    so only units with every pillar scored are compared (a missing pillar renormalises).
    Pillars are compared at the ranking's precision, rounded to 9 decimals: ranks treat scores
    equal to 1e-9 as tied and break the tie by unit_id (docs/engine.md §5), so a pillar of
    99.99999999999999 (a weighted mean of children all at 100) does not count as below 100.

    Complexity O(n log n + n·W): after one sort by rank, each unit is compared with the
    W = var('dominance_window') units ranked just below it (a bounded window frame; no join, so
    no plan can turn it into all pairs). A dominating unit ranked more than W places below the
    unit it dominates would be missed: a documented bounded check (docs/engine.md §6).
-#}
with

node_scores as (
    select * from {{ ref('fct_node_scores') }}
    where node_level = 1
),

index_scores as (
    select * from {{ ref('fct_index_scores') }}
    where composite_rank is not null
),

pillar_vectors as (
    select
        node_scores.framework_id,
        node_scores.unit_level,
        node_scores.unit_id,
        any_value(index_scores.composite_rank) as composite_rank,
        list(round(node_scores.score_0_100, 9) order by node_scores.node_code) as pillar_scores,
        bool_and(node_scores.score_0_100 is not null) as has_every_pillar
    from node_scores
    inner join index_scores
        on
            node_scores.framework_id = index_scores.framework_id
            and node_scores.unit_id = index_scores.unit_id
    group by node_scores.framework_id, node_scores.unit_level, node_scores.unit_id
),

complete as (
    select * from pillar_vectors
    where has_every_pillar
),

-- The pillar vectors of the W units ranked just below each unit: one sort, a bounded frame.
with_units_below as (
    select
        *,
        list(
            struct_pack(
                unit_id := unit_id, composite_rank := composite_rank, pillar_scores := pillar_scores
            )
        )
            over (
                partition by framework_id, unit_level
                order by composite_rank
                rows between 1 following and {{ var('dominance_window', 50) }} following
            ) as units_below
    from complete
),

pairs as (
    select
        framework_id,
        unit_id as better_ranked_unit_id,
        composite_rank as better_rank,
        pillar_scores as better_pillar_scores,
        unnest(units_below) as unit_below
    from with_units_below
),

-- `worse` is ranked up to W places below `better`; it must not dominate it.
compared as (
    select
        framework_id,
        better_ranked_unit_id,
        better_rank,
        struct_extract(unit_below, 'unit_id') as worse_ranked_unit_id,
        struct_extract(unit_below, 'composite_rank') as worse_rank,
        list_bool_and(
            list_transform(
                list_zip(struct_extract(unit_below, 'pillar_scores'), better_pillar_scores),
                lambda x: x[1] >= x[2]  -- noqa: RF02
            )
        ) as is_never_worse,
        list_bool_or(
            list_transform(
                list_zip(struct_extract(unit_below, 'pillar_scores'), better_pillar_scores),
                lambda x: x[1] > x[2]  -- noqa: RF02
            )
        ) as is_sometimes_better
    from pairs
)

select * from compared
where is_never_worse and is_sometimes_better
