{#-
    Example analyst query: each city's published rank and tier across the three H3C city editions
    (2020 → 2021 → 2022; note 2022 changed framework). Compile with `dbt compile` and run the SQL
    from target/compiled in any DuckDB client.
-#}
with

published_results as (
    select * from {{ ref('fct_published_results') }}
),

geo_units as (
    select * from {{ ref('dim_geo_units') }}
),

city_scores as (
    select
        unit_id,
        edition_id,
        published_rank,
        published_tier
    from published_results
    where table_id in (
        'h3c_dei_2020__city_index',
        'h3c_dei_2021__city_total_score',
        'h3c_cddi_2022__city_ranking'
    )
),

trajectories as (
    select
        geo_units.name_zh,
        geo_units.name_en,
        max(city_scores.published_rank) filter (
            where city_scores.edition_id = 'h3c_dei_2020'
        ) as rank_2020,
        max(city_scores.published_rank) filter (
            where city_scores.edition_id = 'h3c_dei_2021'
        ) as rank_2021,
        max(city_scores.published_rank) filter (
            where city_scores.edition_id = 'h3c_cddi_2022'
        ) as rank_2022,
        max(city_scores.published_tier) filter (
            where city_scores.edition_id = 'h3c_cddi_2022'
        ) as tier_2022
    from city_scores
    inner join geo_units
        on city_scores.unit_id = geo_units.unit_id
    group by geo_units.name_zh, geo_units.name_en
)

select * from trajectories
order by rank_2022 nulls last
