{#-
    One row per framework × ranked unit: the nominal rank beside its median and 90 % interval over
    the Monte Carlo draws of the method choices, and the probability of the unit's nominal tier
    (README "How sure is a rank?"). Built only with the uncertainty analysis (`make uncertainty`,
    `make test`); the dashboard's uncertainty page says so when it is absent.
-#}
{{ config(enabled=var('uncertainty', false), tags=['uncertainty']) }}
with

rank_uncertainty as (
    select * from {{ ref('fct_rank_uncertainty') }}
),

nominal_tiers as (
    select * from {{ ref('fct_tier_probabilities') }}
    where is_nominal_tier
),

frameworks as (
    select * from {{ ref('dim_frameworks') }}
),

final as (
    select
        rank_uncertainty.rank_uncertainty_id as rank_interval_id,
        rank_uncertainty.framework_id,
        frameworks.edition_id,
        frameworks.data_year,
        frameworks.name_zh as index_name_zh,
        frameworks.name_en as index_name_en,
        rank_uncertainty.unit_id,
        rank_uncertainty.unit_name_zh,
        rank_uncertainty.unit_name_en,
        rank_uncertainty.unit_level,
        rank_uncertainty.nominal_score as computed_score,
        rank_uncertainty.nominal_rank as computed_rank,
        rank_uncertainty.rank_median,
        rank_uncertainty.rank_p05,
        rank_uncertainty.rank_p95,
        rank_uncertainty.score_p05,
        rank_uncertainty.score_p95,
        nominal_tiers.tier_name_zh as computed_tier_name_zh,
        nominal_tiers.tier_name_en as computed_tier_name_en,
        nominal_tiers.probability as computed_tier_probability,
        rank_uncertainty.n_draws,
        rank_uncertainty.is_synthetic as computed_is_synthetic,
        coalesce(nominal_tiers.is_tier_uncertain, false) as is_tier_uncertain
    from rank_uncertainty
    inner join frameworks
        on rank_uncertainty.framework_id = frameworks.framework_id
    left join nominal_tiers
        on
            rank_uncertainty.framework_id = nominal_tiers.framework_id
            and rank_uncertainty.unit_id = nominal_tiers.unit_id
)

select * from final
