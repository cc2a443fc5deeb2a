{#-
    A unit named in a published tier list must have a published score inside that tier's
    printed thresholds (min inclusive, max exclusive), unless recorded as a `tier_threshold`
    source discrepancy. Tier members with no score table (rank-only editions) are skipped.
    Complexity O(printed members · t), t ≤ 6 tier rules per framework.
-#}
with

published_results as (
    select * from {{ ref('fct_published_results') }}
),

tier_rules as (
    select * from {{ ref('dim_tier_rules') }}
),

discrepancies as (
    select * from {{ ref('stg_published__discrepancies') }}
    where check_name = 'tier_threshold'
),

scored_members as (
    select
        published_results.framework_id,
        published_results.table_id,
        published_results.name_as_printed,
        published_results.published_score,
        published_results.published_tier,
        tier_rules.min_score_inclusive,
        tier_rules.max_score_exclusive
    from published_results
    inner join tier_rules
        on
            published_results.framework_id = tier_rules.framework_id
            and published_results.published_tier = tier_rules.tier_code
    where published_results.published_score is not null
),

violations as (
    select scored_members.*
    from scored_members
    where
        (
            scored_members.published_score < scored_members.min_score_inclusive
            or scored_members.published_score >= scored_members.max_score_exclusive
        )
        and not exists (
            select 1
            from discrepancies
            where
                discrepancies.framework_id = scored_members.framework_id
                and discrepancies.subject = scored_members.name_as_printed
        )
)

select * from violations
