{#-
    One row per city × consecutive city editions: printed tier and rank before and after, named,
    with the direction of the move; the engine's computed tiers beside them. From 2021 to 2022 the
    index itself changed (digital economy → digitalisation), flagged by is_index_changed.
-#}
with

transitions as (
    select * from {{ ref('fct_tier_transitions') }}
),

rankings as (
    select * from {{ ref('rankings') }}
),

tier_orders as (
    select distinct
        framework_id,
        tier_code,
        tier_order
    from {{ ref('dim_tier_rules') }}
    where node_code = 'root'
),

final as (
    select
        transitions.tier_transition_id,
        transitions.unit_id,
        after.unit_name_zh,
        after.unit_name_en,
        after.province_zh,
        after.province_en,
        after.macro_region_zh,
        after.macro_region_en,
        before.edition_id as from_edition_id,
        before.data_year as from_data_year,
        before.index_name_en as from_index_name_en,
        after.edition_id as to_edition_id,
        after.data_year as to_data_year,
        after.index_name_en as to_index_name_en,
        transitions.is_framework_changed as is_index_changed,
        before.published_rank as published_rank_before,
        after.published_rank as published_rank_after,
        before.published_rank - after.published_rank as published_ranks_moved_up,
        before.published_score as published_score_before,
        after.published_score as published_score_after,
        before.published_tier_label_zh as published_tier_before_zh,
        after.published_tier_label_zh as published_tier_after_zh,
        before.published_tier_name_en as published_tier_before_en,
        after.published_tier_name_en as published_tier_after_en,
        case
            when tier_before.tier_order > tier_after.tier_order then 'up'
            when tier_before.tier_order < tier_after.tier_order then 'down'
            when tier_before.tier_order = tier_after.tier_order then 'same'
        end as published_direction,
        before.computed_tier_name_zh as computed_tier_before_zh,
        after.computed_tier_name_zh as computed_tier_after_zh,
        case
            when transitions.tiers_moved_up > 0 then 'up'
            when transitions.tiers_moved_up < 0 then 'down'
            else 'same'
        end as computed_direction,
        transitions.is_synthetic as computed_is_synthetic
    from transitions
    inner join rankings as before
        on
            transitions.from_framework_id = before.framework_id
            and transitions.unit_id = before.unit_id
    inner join rankings as after
        on
            transitions.to_framework_id = after.framework_id
            and transitions.unit_id = after.unit_id
    left join tier_orders as tier_before
        on
            transitions.from_framework_id = tier_before.framework_id
            and transitions.published_tier_before = tier_before.tier_code
    left join tier_orders as tier_after
        on
            transitions.to_framework_id = tier_after.framework_id
            and transitions.published_tier_after = tier_after.tier_code
)

select * from final
