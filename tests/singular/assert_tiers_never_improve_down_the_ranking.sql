{#-
    Down a framework's computed ranking the tier can only stay or get worse: tier_order never
    decreases as the rank number grows.
    Complexity O(n log n) in units: a lag() over each framework's rank order.
-#}
with

index_scores as (
    select * from {{ ref('fct_index_scores') }}
    where tier_order is not null
),

ordered as (
    select
        framework_id,
        unit_level,
        unit_id,
        composite_rank,
        tier_order,
        lag(tier_order) over (
            partition by framework_id, unit_level order by composite_rank
        ) as tier_order_above
    from index_scores
)

select * from ordered
where tier_order < tier_order_above
