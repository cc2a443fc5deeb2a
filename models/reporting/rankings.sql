{#-
    Every ranked unit of every framework, with the names a person reads: unit, province and
    macro-region (zh/en), edition, publisher, index and tier names. What the report prints
    (published_*) and what the engine computes from raw values (computed_*) sit in separate
    columns; computed figures from the shipped sample are synthetic (computed_is_synthetic).
-#}
with

index_scores as (
    select * from {{ ref('fct_index_scores') }}
),

frameworks as (
    select * from {{ ref('dim_frameworks') }}
),

editions as (
    select * from {{ ref('dim_editions') }}
),

geo_units as (
    select * from {{ ref('dim_geo_units') }}
),

published_results as (
    select * from {{ ref('fct_published_results') }}
),

tier_rules as (
    select * from {{ ref('dim_tier_rules') }}
    where node_code = 'root'
),

final as (
    select
        index_scores.index_score_id as ranking_id,
        frameworks.edition_id,
        editions.publication_year,
        editions.data_year,
        make_date(editions.data_year, 1, 1) as data_year_start,
        editions.publisher_zh,
        editions.publisher_en,
        editions.title_zh as report_title_zh,
        editions.title_en as report_title_en,
        index_scores.framework_id,
        frameworks.name_zh as index_name_zh,
        frameworks.name_en as index_name_en,
        index_scores.unit_level,
        index_scores.unit_id,
        geo_units.name_zh as unit_name_zh,
        geo_units.name_en as unit_name_en,
        geo_units.unit_type,
        geo_units.province_zh,
        geo_units.province_en,
        geo_units.macro_region_zh,
        geo_units.macro_region_en,
        geo_units.longitude,
        geo_units.latitude,
        index_scores.name_as_printed,
        index_scores.published_rank is not null as is_published,
        count(index_scores.published_rank) over (partition by index_scores.framework_id)
            as framework_n_units_published,
        index_scores.published_table_id,
        index_scores.published_rank,
        index_scores.published_score,
        index_scores.published_tier as published_tier_code,
        published_results.published_tier_name_zh,
        published_results.published_tier_name_en,
        {{ tier_label_zh('published_results.published_tier_name_zh') }}
            as published_tier_label_zh,
        published_results.source_ref as published_source_ref,
        index_scores.composite_score as computed_score,
        index_scores.composite_score_rounded as computed_score_rounded,
        index_scores.composite_rank as computed_rank,
        index_scores.tier_name_zh as computed_tier_name_zh,
        tier_rules.tier_name_en as computed_tier_name_en,
        index_scores.tier_order as computed_tier_order,
        index_scores.is_synthetic as computed_is_synthetic,
        index_scores.is_imputed as computed_is_imputed,
        case
            when index_scores.is_synthetic
                then 'computed from the SYNTHETIC sample (calibrated to the report), not measured'
            else 'computed from collected raw indicator values'
        end as computed_basis
    from index_scores
    inner join frameworks
        on index_scores.framework_id = frameworks.framework_id
    inner join editions
        on frameworks.edition_id = editions.edition_id
    inner join geo_units
        on index_scores.unit_id = geo_units.unit_id
    left join published_results
        on
            index_scores.framework_id = published_results.framework_id
            and index_scores.published_table_id = published_results.table_id
            and index_scores.unit_id = published_results.unit_id
    left join tier_rules
        on
            index_scores.framework_id = tier_rules.framework_id
            and index_scores.tier_code = tier_rules.tier_code
)

select * from final
