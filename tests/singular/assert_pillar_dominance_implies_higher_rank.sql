{#-
    Dominance: a unit at least as good on every level-1 pillar and strictly better on one must
    rank strictly higher (same framework and unit level). Holds for any monotone aggregation.
-#}
with

node_scores as (
    select * from {{ ref('fct_node_scores') }}
    where node_level = 1
),

index_scores as (
    select * from {{ ref('fct_index_scores') }}
),

pairs as (
    select
        better.framework_id,
        better.unit_id as better_unit_id,
        worse.unit_id as worse_unit_id,
        bool_and(better.score_0_100 >= worse.score_0_100) as is_never_worse,
        bool_or(better.score_0_100 > worse.score_0_100) as is_sometimes_better
    from node_scores as better
    inner join node_scores as worse
        on
            better.framework_id = worse.framework_id
            and better.unit_level = worse.unit_level
            and better.node_code = worse.node_code
            and better.unit_id <> worse.unit_id
    group by better.framework_id, better.unit_id, worse.unit_id
),

dominating_pairs as (
    select * from pairs
    where is_never_worse and is_sometimes_better
)

select
    dominating_pairs.*,
    better_index.composite_rank as better_rank,
    worse_index.composite_rank as worse_rank
from dominating_pairs
inner join index_scores as better_index
    on
        dominating_pairs.framework_id = better_index.framework_id
        and dominating_pairs.better_unit_id = better_index.unit_id
inner join index_scores as worse_index
    on
        dominating_pairs.framework_id = worse_index.framework_id
        and dominating_pairs.worse_unit_id = worse_index.unit_id
where better_index.composite_rank >= worse_index.composite_rank
