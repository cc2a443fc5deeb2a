{#-
    Printed level-1 (pillar) averages × level-1 weights must give the printed overall average
    within var('mean_tolerance'), for every framework that prints all of its pillar averages,
    unless recorded as a `pillar_weighted_mean` source discrepancy.
    Complexity O(nodes + printed aggregates): no unit rows are read.
-#}
with

nodes as (
    select * from {{ ref('dim_framework_nodes') }}
    where level = 1
),

aggregates as (
    select * from {{ ref('fct_published_aggregates') }}
    where metric = 'mean_score'
),

discrepancies as (
    select * from {{ ref('stg_published__discrepancies') }}
    where check_name = 'pillar_weighted_mean'
),

pillar_means as (
    select
        nodes.framework_id,
        count(*) as n_pillars,
        count(aggregates.value) as n_pillars_printed,
        sum(nodes.weight * aggregates.value) as weighted_pillar_mean
    from nodes
    left join aggregates
        on
            nodes.framework_id = aggregates.framework_id
            and aggregates.subject_type = 'node'
            and nodes.node_code = aggregates.subject
    group by nodes.framework_id
),

compared as (
    select
        pillar_means.framework_id,
        pillar_means.weighted_pillar_mean,
        aggregates.value as printed_overall_mean,
        aggregates.source_ref
    from pillar_means
    inner join aggregates
        on
            pillar_means.framework_id = aggregates.framework_id
            and aggregates.subject_type = 'framework'
            and aggregates.subject = 'all'
    where pillar_means.n_pillars_printed = pillar_means.n_pillars
)

select compared.*
from compared
where
    abs(compared.weighted_pillar_mean - compared.printed_overall_mean) > {{ var('mean_tolerance') }}
    and compared.framework_id not in (select discrepancies.framework_id from discrepancies)
