with

tier_rules as (
    select * from {{ ref('stg_published__tier_rules') }}
),

final as (
    select
        framework_id,
        edition_id,
        node_code,
        tier_code,
        tier_order,
        tier_name_zh,
        tier_name_en,
        min_score_inclusive,
        max_score_exclusive,
        source_ref,
        framework_id || ':' || tier_code as framework_tier_id
    from tier_rules
)

select * from final
