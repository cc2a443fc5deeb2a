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
        later.unit_name_zh,
        later.unit_name_en,
        later.province_zh,
        later.province_en,
        later.macro_region_zh,
        later.macro_region_en,
        earlier.edition_id as from_edition_id,
        earlier.data_year as from_data_year,
        earlier.index_name_en as from_index_name_en,
        later.edition_id as to_edition_id,
        later.data_year as to_data_year,
        later.index_name_en as to_index_name_en,
        transitions.is_framework_changed as is_index_changed,
        earlier.published_rank as published_rank_before,
        later.published_rank as published_rank_after,
        earlier.published_score as published_score_before,
        later.published_score as published_score_after,
        earlier.published_tier_label_zh as published_tier_before_zh,
        later.published_tier_label_zh as published_tier_after_zh,
        earlier.published_tier_name_en as published_tier_before_en,
        later.published_tier_name_en as published_tier_after_en,
        earlier.computed_tier_name_zh as computed_tier_before_zh,
        later.computed_tier_name_zh as computed_tier_after_zh,
        transitions.is_synthetic as computed_is_synthetic,
        earlier.published_rank - later.published_rank as published_ranks_moved_up,
        case
            when tier_before.tier_order > tier_after.tier_order then 'up'
            when tier_before.tier_order < tier_after.tier_order then 'down'
            when tier_before.tier_order = tier_after.tier_order then 'same'
        end as published_direction,
        case
            when transitions.tiers_moved_up > 0 then 'up'
            when transitions.tiers_moved_up < 0 then 'down'
            else 'same'
        end as computed_direction
    from transitions
    inner join rankings as earlier
        on
            transitions.from_framework_id = earlier.framework_id
            and transitions.unit_id = earlier.unit_id
    inner join rankings as later
        on
            transitions.to_framework_id = later.framework_id
            and transitions.unit_id = later.unit_id
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
