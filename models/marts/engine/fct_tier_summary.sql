with

index_scores as (
    select * from {{ ref('int_index_scores_tiered') }}
),

tier_rules as (
    select * from {{ ref('stg_published__tier_rules') }}
    where node_code = 'root'
),

aggregates as (
    select * from {{ ref('stg_published__aggregates') }}
    where subject_type = 'tier'
),

computed as (
    select
        framework_id,
        tier_code,
        count(*) as n_units,
        -- Ordered list sums: the same marts bit for bit on every build (docs/engine.md §4).
        list_sum(list(composite_score order by unit_id)) / count(composite_score) as mean_score,
        min(composite_score) as min_score,
        max(composite_score) as max_score,
        bool_or(is_synthetic) as is_synthetic
    from index_scores
    where tier_code is not null
    group by framework_id, tier_code
),

published as (
    select
        framework_id,
        subject as tier_code,
        max(value) filter (where metric = 'unit_count') as published_n_units,
        max(value) filter (where metric = 'mean_score') as published_mean_score
    from aggregates
    group by framework_id, subject
),

final as (
    select
        tier_rules.framework_id,
        tier_rules.tier_code,
        tier_rules.tier_order,
        tier_rules.tier_name_zh,
        tier_rules.tier_name_en,
        computed.mean_score,
        computed.min_score,
        computed.max_score,
        published.published_n_units,
        published.published_mean_score,
        tier_rules.framework_id || ':' || tier_rules.tier_code as framework_tier_id,
        coalesce(computed.n_units, 0) as n_units,
        coalesce(computed.n_units, 0) - published.published_n_units as n_units_difference,
        computed.mean_score - published.published_mean_score as mean_score_difference,
        coalesce(computed.is_synthetic, false) as is_synthetic
    from tier_rules
    left join computed
        on
            tier_rules.framework_id = computed.framework_id
            and tier_rules.tier_code = computed.tier_code
    left join published
        on
            tier_rules.framework_id = published.framework_id
            and tier_rules.tier_code = published.tier_code
)

select * from final
