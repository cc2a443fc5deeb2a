{#-
    Every scored unit of a framework with a tier rule has exactly the tier whose [min, max)
    holds its unrounded composite.
    Complexity O(n·t): each unit joined to its framework's t tier rules (t ≤ 6), then grouped.
-#}
with

index_scores as (
    select * from {{ ref('fct_index_scores') }}
    where composite_score is not null
),

tier_rules as (
    select * from {{ ref('dim_tier_rules') }}
    where node_code = 'root'
),

tiered_frameworks as (
    select distinct framework_id
    from tier_rules
),

matching_tiers as (
    select
        index_scores.framework_id,
        index_scores.unit_id,
        index_scores.composite_score,
        index_scores.tier_code,
        count(tier_rules.tier_code) as n_matching_rules,
        min(tier_rules.tier_code) as expected_tier_code
    from index_scores
    inner join tiered_frameworks
        on index_scores.framework_id = tiered_frameworks.framework_id
    left join tier_rules
        on
            index_scores.framework_id = tier_rules.framework_id
            and {{ tier_for_score('index_scores.composite_score', 'tier_rules') }}
    group by
        index_scores.framework_id,
        index_scores.unit_id,
        index_scores.composite_score,
        index_scores.tier_code
)

select * from matching_tiers
where n_matching_rules != 1 or tier_code is distinct from expected_tier_code
