{#-
    Each published tier list's size, and the mean of its members' published scores, must match
    the count and average the report prints for that tier (mean within var('mean_tolerance')),
    unless recorded as `tier_count` / `tier_mean` source discrepancies.
    Complexity O(printed tier members): hash joins and group bys over the transcribed lists.
-#}
with

tier_members as (
    select * from {{ ref('int_tier_members_resolved') }}
),

published_results as (
    select * from {{ ref('fct_published_results') }}
    where published_score is not null
),

aggregates as (
    select * from {{ ref('fct_published_aggregates') }}
    where subject_type = 'tier'
),

discrepancies as (
    select * from {{ ref('stg_published__discrepancies') }}
),

member_scores as (
    select
        tier_members.framework_id,
        tier_members.tier_code,
        tier_members.unit_id,
        max(published_results.published_score) as published_score
    from tier_members
    left join published_results
        on
            tier_members.framework_id = published_results.framework_id
            and tier_members.unit_id = published_results.unit_id
    group by tier_members.framework_id, tier_members.tier_code, tier_members.unit_id
),

tier_stats as (
    select
        framework_id,
        tier_code,
        count(*) as n_members,
        avg(published_score) as mean_score
    from member_scores
    group by framework_id, tier_code
),

compared as (
    select
        tier_stats.framework_id,
        tier_stats.tier_code,
        aggregates.metric,
        aggregates.value as printed_value,
        aggregates.source_ref,
        case aggregates.metric
            when 'unit_count' then tier_stats.n_members
            when 'mean_score' then tier_stats.mean_score
        end as computed_value
    from tier_stats
    inner join aggregates
        on
            tier_stats.framework_id = aggregates.framework_id
            and tier_stats.tier_code = aggregates.subject
            and aggregates.metric in ('unit_count', 'mean_score')
),

violations as (
    select compared.*
    from compared
    where
        (
            compared.computed_value is null
            or abs(compared.computed_value - compared.printed_value)
            > case compared.metric when 'unit_count' then 0 else {{ var('mean_tolerance') }} end
        )
        and not exists (
            select 1
            from discrepancies
            where
                discrepancies.framework_id = compared.framework_id
                and discrepancies.subject = compared.tier_code
                and discrepancies.check_name
                = case compared.metric when 'unit_count' then 'tier_count' else 'tier_mean' end
        )
)

select * from violations
