-- A unit's tier probabilities sum to 1 (every draw's composite lies in exactly one tier), and
-- every ranked unit of a framework with a tier rule has them. Complexity O(units × tiers): one
-- group by, one hash join.
{{ config(tags=['uncertainty'], enabled=var('uncertainty', false)) }}
with

probabilities as (
    select * from {{ ref('fct_tier_probabilities') }}
),

ranked_units as (
    select * from {{ ref('fct_rank_uncertainty') }}
    where framework_id in (select probabilities.framework_id from probabilities)
),

sums as (
    select
        framework_id,
        unit_id,
        sum(probability) as total_probability,
        count(*) filter (where is_nominal_tier) as n_nominal_tiers
    from probabilities
    group by framework_id, unit_id
)

select
    ranked_units.framework_id,
    ranked_units.unit_id,
    sums.total_probability,
    sums.n_nominal_tiers
from ranked_units
left join sums
    on
        ranked_units.framework_id = sums.framework_id
        and ranked_units.unit_id = sums.unit_id
where
    sums.total_probability is null
    or abs(sums.total_probability - 1) > 1e-9
    or sums.n_nominal_tiers != 1
