{#-
    One row per framework × ranked unit: how far its rank and composite move when the method
    choices are drawn (the Monte Carlo draws, matrix A of int_uncertainty_design): nominal rank
    and score beside the median, mean, 5th–95th percentile interval and interquartile range over
    the draws. Rank quantiles are ranks some draw gave (quantile_disc); score quantiles are
    interpolated. `is_synthetic` says whether the unit's INPUT values are the synthetic sample.
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
    select * from {{ ref('int_index_scores_tiered') }}
    where composite_rank is not null
),

geo_units as (
    select * from {{ ref('int_geo_units_unioned') }}
),

drawn as (
    select composites.*
    from composites
    inner join monte_carlo_draws
        on
            composites.framework_id = monte_carlo_draws.framework_id
            and composites.draw_id = monte_carlo_draws.draw_id
),

summarised as (
    select
        drawn.framework_id,
        drawn.unit_id,
        count(*) as n_draws,
        quantile_disc(drawn.composite_rank, 0.5) as rank_median,
        avg(drawn.composite_rank) as rank_mean,
        quantile_disc(drawn.composite_rank, 0.05) as rank_p05,
        quantile_disc(drawn.composite_rank, 0.95) as rank_p95,
        quantile_disc(drawn.composite_rank, 0.75) - quantile_disc(drawn.composite_rank, 0.25)
            as rank_iqr,
        min(drawn.composite_rank) as rank_best,
        max(drawn.composite_rank) as rank_worst,
        quantile_cont(drawn.composite_score, 0.5) as score_median,
        avg(drawn.composite_score) as score_mean,
        quantile_cont(drawn.composite_score, 0.05) as score_p05,
        quantile_cont(drawn.composite_score, 0.95) as score_p95,
        quantile_cont(drawn.composite_score, 0.75) - quantile_cont(drawn.composite_score, 0.25)
            as score_iqr
    from drawn
    group by drawn.framework_id, drawn.unit_id
),

final as (
    select
        nominal.framework_id,
        nominal.unit_id,
        geo_units.name_zh as unit_name_zh,
        geo_units.name_en as unit_name_en,
        nominal.unit_level,
        nominal.composite_score as nominal_score,
        nominal.composite_rank as nominal_rank,
        nominal.tier_code as nominal_tier_code,
        summarised.n_draws,
        summarised.rank_median,
        summarised.rank_mean,
        summarised.rank_p05,
        summarised.rank_p95,
        summarised.rank_iqr,
        summarised.rank_best,
        summarised.rank_worst,
        summarised.score_median,
        summarised.score_mean,
        summarised.score_p05,
        summarised.score_p95,
        summarised.score_iqr,
        nominal.is_synthetic,
        nominal.framework_id || ':' || nominal.unit_id as rank_uncertainty_id
    from nominal
    inner join summarised
        on
            nominal.framework_id = summarised.framework_id
            and nominal.unit_id = summarised.unit_id
    left join geo_units
        on nominal.unit_id = geo_units.unit_id
)

select * from final
