{#-
    Printed ranking rows with their unit and, where the framework's composite tier list (城市画像)
    names the unit, its printed tier. One row per printed row.
-#}
with

ranking_rows as (
    select * from {{ ref('int_ranking_rows_resolved') }}
),

tier_rules as (
    select * from {{ ref('stg_published__tier_rules') }}
),

-- Only tiers of the composite index (城市画像); pillar-level groupings stay in their own lists.
composite_tier_members as (
    select tier_members.*
    from {{ ref('int_tier_members_resolved') }} as tier_members
    inner join tier_rules
        on
            tier_members.framework_id = tier_rules.framework_id
            and tier_members.tier_code = tier_rules.tier_code
    where tier_rules.node_code = 'root'
),

with_tiers as (
    select
        ranking_rows.framework_id,
        ranking_rows.edition_id,
        ranking_rows.table_id,
        ranking_rows.unit_level,
        ranking_rows.ranked_node_code,
        ranking_rows.row_order,
        ranking_rows.name_as_printed,
        ranking_rows.unit_id,
        ranking_rows.published_rank,
        ranking_rows.published_score,
        tier_members.tier_code as published_tier,
        tier_rules.tier_name_zh as published_tier_name_zh,
        tier_rules.tier_name_en as published_tier_name_en,
        ranking_rows.source_ref,
        tier_members.source_ref as tier_source_ref
    from ranking_rows
    left join composite_tier_members as tier_members
        on
            ranking_rows.framework_id = tier_members.framework_id
            and ranking_rows.unit_id = tier_members.unit_id
    left join tier_rules
        on
            tier_members.framework_id = tier_rules.framework_id
            and tier_members.tier_code = tier_rules.tier_code
)

select * from with_tiers
