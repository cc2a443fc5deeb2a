{#-
    On the synthetic sample, each tier's computed count equals the printed count and its mean is
    within var('mean_tolerance') of the printed mean, except recorded tier_count / tier_mean
    discrepancies. Only the calibrated sample is reconciled: frameworks whose units are all
    synthetic and all printed (a SYNTHETIC scale set, scripts/scale_sample.py, is not).
    Complexity: O(n) in units (hash joins, group by).
-#}
with

tier_summary as (
    select * from {{ ref('fct_tier_summary') }}
),

discrepancies as (
    select * from {{ ref('stg_published__discrepancies') }}
),

synthetic_frameworks as (
    {{ calibrated_sample_frameworks() }}
)

select tier_summary.*
from tier_summary
inner join synthetic_frameworks
    on tier_summary.framework_id = synthetic_frameworks.framework_id
where
    (
        tier_summary.n_units_difference <> 0
        and not exists (
            select 1 from discrepancies
            where
                discrepancies.framework_id = tier_summary.framework_id
                and discrepancies.check_name = 'tier_count'
                and discrepancies.subject = tier_summary.tier_code
        )
    )
    or (
        abs(tier_summary.mean_score_difference) > {{ var('mean_tolerance') }}
        and not exists (
            select 1 from discrepancies
            where
                discrepancies.framework_id = tier_summary.framework_id
                and discrepancies.check_name = 'tier_mean'
                and discrepancies.subject = tier_summary.tier_code
        )
    )
