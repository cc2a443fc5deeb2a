{#-
    One row per framework × unit: the composite, its rank and tier (tier_for_score), the pillar
    scores as positional columns p1_score…p<n>_score, coverage and why a unit is not scored, set
    beside the printed score, rank and tier. fct_index_scores shows it; the tier summary, cluster
    scores and tier transitions aggregate it.
-#}
{#- One p<n>_score column per pillar position, as many as the framework with the most pillars. -#}
{%- set max_pillars = frameworks_max_pillars() %}
with

node_scores as (
    select * from {{ ref('int_node_scores_ranked') }}
),

tier_rules as (
    select * from {{ ref('stg_published__tier_rules') }}
    where node_code = 'root'
),

published_results as (
    select * from {{ ref('int_ranking_rows_tiered') }}
    where ranked_node_code = 'root'
),

composites as (
    select
        framework_id,
        unit_id,
        unit_level,
        score_0_100 as composite_score,
        node_rank as composite_rank,
        coverage,
        is_imputed,
        is_synthetic
    from node_scores
    where node_code = 'root'
),

pillars as (
    select
        framework_id,
        unit_id,
        {%- for pillar in range(1, max_pillars + 1) %}
            max(score_0_100) filter (where node_code = 'p{{ pillar }}') as p{{ pillar }}_score,
        {%- endfor %}
        -- Pillars below the coverage threshold, with their coverage (why a unit is not scored).
        string_agg(
            node_code || ' ' || printf('%.3f', coverage), ', ' order by node_code
        ) filter (where coverage < {{ var('min_coverage') }}) as pillars_short
    from node_scores
    where node_level = 1
    group by framework_id, unit_id
),

with_tiers as (
    select
        composites.*,
        tier_rules.tier_code,
        tier_rules.tier_order,
        tier_rules.tier_name_zh
    from composites
    left join tier_rules
        on
            composites.framework_id = tier_rules.framework_id
            and {{ tier_for_score('composites.composite_score', 'tier_rules') }}
),

final as (
    select
        with_tiers.framework_id || ':' || with_tiers.unit_id as index_score_id,
        with_tiers.framework_id,
        with_tiers.unit_id,
        with_tiers.unit_level,
        with_tiers.composite_score,
        {{ round_half_up('with_tiers.composite_score', 1) }} as composite_score_rounded,
        with_tiers.composite_rank,
        with_tiers.tier_code,
        with_tiers.tier_order,
        with_tiers.tier_name_zh,
        {%- for pillar in range(1, max_pillars + 1) %}
            pillars.p{{ pillar }}_score,
        {%- endfor %}
        with_tiers.coverage,
        with_tiers.composite_score is not null as is_scored,
        case
            when with_tiers.composite_score is null
                then
                    'coverage ' || printf('%.3f', with_tiers.coverage) || ' of '
                    || printf('%.3f', {{ var('min_coverage') }}) || ' required'
                    || coalesce('; pillars short: ' || pillars.pillars_short, '')
        end as not_scored_reason,
        with_tiers.is_imputed,
        with_tiers.is_synthetic,
        published_results.table_id as published_table_id,
        published_results.name_as_printed,
        published_results.published_score,
        published_results.published_rank,
        published_results.published_tier,
        {{ round_half_up('with_tiers.composite_score', 1) }} - published_results.published_score
            as score_difference,
        with_tiers.composite_rank - published_results.published_rank as rank_difference,
        with_tiers.tier_code = published_results.published_tier as is_tier_as_published
    from with_tiers
    inner join pillars
        on
            with_tiers.framework_id = pillars.framework_id
            and with_tiers.unit_id = pillars.unit_id
    left join published_results
        on
            with_tiers.framework_id = published_results.framework_id
            and with_tiers.unit_id = published_results.unit_id
)

select * from final
