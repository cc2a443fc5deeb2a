with

source_rows as (
    {{ union_published_seeds('tier_rules') }}
),

renamed as (
    select
        framework_id,
        edition_id,
        tier_code,
        tier_order,
        min_score as min_score_inclusive,
        max_score as max_score_exclusive,
        source_ref,
        -- Tiers grade the composite unless the seed names a node (CCID grades one pillar).
        coalesce(node_code, 'root') as node_code,
        trim(tier_name_zh) as tier_name_zh,
        trim(tier_name_en) as tier_name_en
    from source_rows
)

select * from renamed
