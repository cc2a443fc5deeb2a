{#-
    Every ranked unit of every framework, with the names a person reads: unit, province and
    macro-region (zh/en), edition, publisher, index and tier names. What the report prints
    (published_*) and what the engine computes from raw values (computed_*) sit in separate
    columns; computed figures from the shipped sample are synthetic (computed_is_synthetic).
    A unit the report ranks stays here even when no raw values were given for it (its computed_*
    columns are then null): a missing input never hides a published figure.
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

published_root as (
    select * from published_results
    where ranked_node_code = 'root'
),

-- Every unit the engine computed and every unit a report ranks on the composite.
ranked_units as (
    select
        published_root.table_id as published_table_id,
        published_root.name_as_printed,
        published_root.published_rank,
        published_root.published_score,
        published_root.published_tier,
        index_scores.composite_score,
        index_scores.composite_score_rounded,
        index_scores.composite_rank,
        index_scores.tier_code,
        index_scores.tier_order,
        index_scores.tier_name_zh,
        index_scores.is_synthetic,
        index_scores.is_imputed,
        coalesce(index_scores.framework_id, published_root.framework_id) as framework_id,
        coalesce(index_scores.unit_id, published_root.unit_id) as unit_id,
        coalesce(index_scores.unit_level, published_root.unit_level) as unit_level
    from index_scores
    full outer join published_root
        on
            index_scores.framework_id = published_root.framework_id
            and index_scores.unit_id = published_root.unit_id
),

final as (
    select
        ranked_units.framework_id || ':' || ranked_units.unit_id as ranking_id,
        frameworks.edition_id,
        editions.publication_year,
        editions.data_year,
        make_date(editions.data_year, 1, 1) as data_year_start,
        editions.publisher_zh,
        editions.publisher_en,
        editions.title_zh as report_title_zh,
        editions.title_en as report_title_en,
        ranked_units.framework_id,
        frameworks.name_zh as index_name_zh,
        frameworks.name_en as index_name_en,
        ranked_units.unit_level,
        ranked_units.unit_id,
        geo_units.name_zh as unit_name_zh,
        geo_units.name_en as unit_name_en,
        geo_units.unit_type,
        geo_units.province_zh,
        geo_units.province_en,
        geo_units.macro_region_zh,
        geo_units.macro_region_en,
        geo_units.longitude,
        geo_units.latitude,
        ranked_units.name_as_printed,
        ranked_units.published_rank is not null as is_published,
        count(ranked_units.published_rank) over (partition by ranked_units.framework_id)
            as framework_n_units_published,
        ranked_units.published_table_id,
        ranked_units.published_rank,
        ranked_units.published_score,
        ranked_units.published_tier as published_tier_code,
        published_results.published_tier_name_zh,
        published_results.published_tier_name_en,
        {{ tier_label_zh('published_results.published_tier_name_zh') }}
            as published_tier_label_zh,
        published_results.source_ref as published_source_ref,
        ranked_units.composite_score as computed_score,
        ranked_units.composite_score_rounded as computed_score_rounded,
        ranked_units.composite_rank as computed_rank,
        ranked_units.tier_name_zh as computed_tier_name_zh,
        tier_rules.tier_name_en as computed_tier_name_en,
        ranked_units.tier_order as computed_tier_order,
        coalesce(ranked_units.is_synthetic, false) as computed_is_synthetic,
        ranked_units.is_imputed as computed_is_imputed,
        case
            when ranked_units.is_synthetic is null
                then 'not computed: no raw indicator values were given for this unit'
            when ranked_units.composite_score is null
                then 'not scored: too few indicator values (fct_index_scores.not_scored_reason)'
            when ranked_units.is_synthetic
                then 'computed from the SYNTHETIC sample (calibrated to the report), not measured'
            else 'computed from collected raw indicator values'
        end as computed_basis
    from ranked_units
    inner join frameworks
        on ranked_units.framework_id = frameworks.framework_id
    inner join editions
        on frameworks.edition_id = editions.edition_id
    inner join geo_units
        on ranked_units.unit_id = geo_units.unit_id
    left join published_results
        on
            ranked_units.framework_id = published_results.framework_id
            and ranked_units.published_table_id = published_results.table_id
            and ranked_units.unit_id = published_results.unit_id
    left join tier_rules
        on
            ranked_units.framework_id = tier_rules.framework_id
            and ranked_units.tier_code = tier_rules.tier_code
)

select * from final
