{#-
    On the synthetic sample, the mean of each level-1 pillar score over a framework's units is
    within var('mean_tolerance') of the printed pillar average — except frameworks whose printed
    scores do not reproduce the printed overall average (a recorded table_mean discrepancy):
    the sample keeps the printed unit scores, so their pillar averages cannot also hold.
    Only frameworks whose synthetic units are all printed ones are the calibrated sample (a
    SYNTHETIC scale set, scripts/scale_sample.py, is not calibrated to any report).
    Complexity: O(n) in node rows (filter, hash join, group by).
-#}
with

node_scores as (
    select * from {{ ref('fct_node_scores') }}
    where node_level = 1 and is_synthetic
),

calibrated_frameworks as (
    {{ calibrated_sample_frameworks() }}
),

aggregates as (
    select * from {{ ref('fct_published_aggregates') }}
    where subject_type = 'node' and metric = 'mean_score'
),

discrepancies as (
    select * from {{ ref('stg_published__discrepancies') }}
    where check_name = 'table_mean'
),

pillar_means as (
    select
        framework_id,
        node_code,
        avg(score_0_100) as mean_score
    from node_scores
    group by framework_id, node_code
)

select
    pillar_means.*,
    aggregates.value as printed_mean_score
from pillar_means
inner join aggregates
    on
        pillar_means.framework_id = aggregates.framework_id
        and pillar_means.node_code = aggregates.subject
where
    abs(pillar_means.mean_score - aggregates.value) > {{ var('mean_tolerance') }}
    and pillar_means.framework_id not in (select discrepancies.framework_id from discrepancies)
    and pillar_means.framework_id in (
        select calibrated_frameworks.framework_id from calibrated_frameworks
    )
