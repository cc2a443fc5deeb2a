{#-
    Which GDP year did each edition weight its 城市群综合加权评分 by? For every edition × GDP
    year, recompute the printed cluster scores from the printed city scores weighted by GDP share,
    and measure the fit (max and RMS absolute difference). The chosen years are in
    var('cluster_gdp_year'); README "City clusters" records the result.
-#}
with

published_results as (
    select * from {{ ref('fct_published_results') }}
    where ranked_node_code = 'root' and published_score is not null and unit_level = 'city'
),

cluster_members as (
    select * from {{ ref('bridge_cluster_members') }}
    where is_evaluated
),

city_gdp as (
    select * from {{ ref('fct_city_gdp') }}
),

aggregates as (
    select * from {{ ref('fct_published_aggregates') }}
    where metric = 'cluster_weighted_score'
),

weighted as (
    select
        cluster_members.edition_id,
        cluster_members.cluster_id,
        city_gdp.data_year as gdp_year,
        sum(published_results.published_score * city_gdp.gdp_100m_yuan)
        / sum(city_gdp.gdp_100m_yuan) as weighted_score
    from cluster_members
    inner join published_results
        on
            cluster_members.edition_id = published_results.edition_id
            and cluster_members.unit_id = published_results.unit_id
    inner join city_gdp
        on cluster_members.unit_id = city_gdp.unit_id
    group by cluster_members.edition_id, cluster_members.cluster_id, city_gdp.data_year
),

fits as (
    select
        weighted.edition_id,
        weighted.gdp_year,
        count(*) as n_clusters,
        max(abs(weighted.weighted_score - aggregates.value)) as max_abs_difference,
        sqrt(avg(power(weighted.weighted_score - aggregates.value, 2))) as rms_difference,
        count(*) filter (
            where abs(weighted.weighted_score - aggregates.value) <= {{ var('mean_tolerance') }}
        ) as n_within_tolerance
    from weighted
    inner join aggregates
        on
            weighted.edition_id = aggregates.printed_in_edition_id
            and weighted.cluster_id = aggregates.subject
    group by weighted.edition_id, weighted.gdp_year
)

select * from fits
order by edition_id, rms_difference
