{#-
    One row per framework × tier: printed count and mean beside the engine's (computed, synthetic
    for the shipped sample), with edition and tier names.
-#}
with

tier_summary as (
    select * from {{ ref('fct_tier_summary') }}
),

frameworks as (
    select * from {{ ref('dim_frameworks') }}
),

final as (
    select
        tier_summary.framework_tier_id,
        frameworks.edition_id,
        frameworks.data_year,
        frameworks.publisher_en,
        tier_summary.framework_id,
        frameworks.name_zh as index_name_zh,
        frameworks.name_en as index_name_en,
        tier_summary.tier_code,
        tier_summary.tier_order,
        {{ tier_label_zh('tier_summary.tier_name_zh') }} as tier_label_zh,
        tier_summary.tier_name_zh,
        tier_summary.tier_name_en,
        tier_summary.published_n_units,
        tier_summary.published_mean_score,
        tier_summary.n_units as computed_n_units,
        tier_summary.mean_score as computed_mean_score,
        tier_summary.min_score as computed_min_score,
        tier_summary.max_score as computed_max_score,
        tier_summary.is_synthetic as computed_is_synthetic
    from tier_summary
    inner join frameworks
        on tier_summary.framework_id = frameworks.framework_id
)

select * from final
