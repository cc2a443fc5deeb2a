{#-
    One row per framework × ranked unit × tier of the framework's tier rule: the share of the
    Monte Carlo draws (matrix A) whose composite falls in the tier (dim_tier_rules thresholds,
    tier_for_score), and whether it is the unit's nominal tier. Frameworks whose report prints
    no tier rule have no rows. Probabilities of a unit sum to 1 (a data test checks it).
-#}
with

composites as (
    select * from {{ ref('int_uncertainty_composites_drawn') }}
),

monte_carlo_draws as (
    select * from {{ ref('int_uncertainty_design') }}
    where design_matrix = 'A'
),

nominal as (
    select * from {{ ref('fct_index_scores') }}
    where composite_rank is not null
),

tier_rules as (
    select * from {{ ref('dim_tier_rules') }}
    where node_code = 'root'
),

draws_per_framework as (
    select
        framework_id,
        count(*) as n_draws
    from monte_carlo_draws
    group by framework_id
),

drawn_tiers as (
    select
        composites.framework_id,
        composites.unit_id,
        tier_rules.tier_code,
        count(*) as n_draws_in_tier
    from composites
    inner join monte_carlo_draws
        on
            composites.framework_id = monte_carlo_draws.framework_id
            and composites.draw_id = monte_carlo_draws.draw_id
    inner join tier_rules
        on
            composites.framework_id = tier_rules.framework_id
            and {{ tier_for_score('composites.composite_score', 'tier_rules') }}
    group by composites.framework_id, composites.unit_id, tier_rules.tier_code
),

final as (
    select
        nominal.framework_id,
        nominal.unit_id,
        tier_rules.tier_code,
        tier_rules.tier_order,
        tier_rules.tier_name_zh,
        tier_rules.tier_name_en,
        draws_per_framework.n_draws,
        nominal.tier_code as nominal_tier_code,
        nominal.is_synthetic,
        nominal.framework_id || ':' || nominal.unit_id || ':' || tier_rules.tier_code
            as tier_probability_id,
        coalesce(drawn_tiers.n_draws_in_tier, 0) as n_draws_in_tier,
        coalesce(drawn_tiers.n_draws_in_tier, 0) / draws_per_framework.n_draws as probability,
        tier_rules.tier_code = nominal.tier_code as is_nominal_tier
    from nominal
    inner join tier_rules
        on nominal.framework_id = tier_rules.framework_id
    inner join draws_per_framework
        on nominal.framework_id = draws_per_framework.framework_id
    left join drawn_tiers
        on
            nominal.framework_id = drawn_tiers.framework_id
            and nominal.unit_id = drawn_tiers.unit_id
            and tier_rules.tier_code = drawn_tiers.tier_code
)

select * from final
