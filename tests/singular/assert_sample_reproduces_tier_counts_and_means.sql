{#-
    On the synthetic sample, each tier's computed count equals the printed count and its mean is
    within var('mean_tolerance') of the printed mean, except recorded tier_count / tier_mean
    discrepancies.
-#}
with

tier_summary as (
    select * from {{ ref('fct_tier_summary') }}
),

index_scores as (
    select * from {{ ref('fct_index_scores') }}
),

discrepancies as (
    select * from {{ ref('stg_published__discrepancies') }}
),

synthetic_frameworks as (
    select framework_id
    from index_scores
    group by framework_id
    having bool_and(is_synthetic)
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
