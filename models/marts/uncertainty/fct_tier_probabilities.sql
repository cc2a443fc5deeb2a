{#-
    One row per framework × ranked unit × tier of the framework's tier rule: the share of the
    Monte Carlo draws (matrix A) that put the unit in the tier, and whether it is the unit's
    nominal tier. Frameworks whose report prints no tier rule have no rows. Probabilities of a
    unit sum to 1 (a data test checks it).
    A draw's tier comes from its RANK, not its score: rank r in a draw gives the nominal tier of
    the unit ranked r nominally (a rank below the nominal last gives the last). That is the
    draw's composite mapped onto the nominal score scale by rank (quantile mapping), then the
    printed thresholds — the tiers keep their nominal sizes (上海 is 一线 in a draw iff it is
    among the top 6 there). Why not the thresholds on the draw's own score: the thresholds are
    points of the nominal scale (goalposts, arithmetic means, 0–100), and a z-score or
    percentile alternative or a geometric mean puts scores on another scale — every unit would
    change tier in those draws for a reason that has nothing to do with its robustness. The
    rank intervals and Sobol indices keep every draw as it is (README "How sure is a rank?").
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

tier_rules as (
    select * from {{ ref('stg_published__tier_rules') }}
    where node_code = 'root'
),

draws_per_framework as (
    select
        framework_id,
        count(*) as n_draws
    from monte_carlo_draws
    group by framework_id
),

-- The nominal tier at each nominal rank of each ranking (framework × unit level).
rank_bands as (
    select
        framework_id,
        unit_level,
        composite_rank,
        tier_code,
        max(composite_rank) over (partition by framework_id, unit_level) as last_rank
    from nominal
    where framework_id in (select tier_rules.framework_id from tier_rules)
),

last_ranks as (
    select distinct
        framework_id,
        unit_level,
        last_rank
    from rank_bands
),

drawn_ranks as (
    select
        composites.framework_id,
        composites.unit_id,
        composites.unit_level,
        least(composites.composite_rank, last_ranks.last_rank) as banded_rank
    from composites
    inner join monte_carlo_draws
        on
            composites.framework_id = monte_carlo_draws.framework_id
            and composites.draw_id = monte_carlo_draws.draw_id
    inner join last_ranks
        on
            composites.framework_id = last_ranks.framework_id
            and composites.unit_level = last_ranks.unit_level
),

drawn_tiers as (
    select
        drawn_ranks.framework_id,
        drawn_ranks.unit_id,
        rank_bands.tier_code,
        count(*) as n_draws_in_tier
    from drawn_ranks
    inner join rank_bands
        on
            drawn_ranks.framework_id = rank_bands.framework_id
            and drawn_ranks.unit_level = rank_bands.unit_level
            and drawn_ranks.banded_rank = rank_bands.composite_rank
    group by drawn_ranks.framework_id, drawn_ranks.unit_id, rank_bands.tier_code
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
        tier_rules.tier_code = nominal.tier_code as is_nominal_tier,
        tier_rules.tier_code = nominal.tier_code
        and coalesce(drawn_tiers.n_draws_in_tier, 0) / draws_per_framework.n_draws
        < {{ var('uncertain_tier_below') }} as is_tier_uncertain
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
