{#-
    City-cluster (城市群) scores per edition from the edition's city framework: the simple mean of
    the evaluated members, and the 综合加权评分 the reports print — member scores weighted by
    each member's share of the cluster's GDP in the year var('cluster_gdp_year') gives for the
    edition (analyses/cluster_gdp_year_fit.sql shows how well each year fits).
-#}
with

cluster_members as (
    select * from {{ ref('int_cluster_members_resolved') }}
    where is_evaluated
),

clusters as (
    select * from {{ ref('int_clusters_counted') }}
),

index_scores as (
    select * from {{ ref('int_index_scores_tiered') }}
),

frameworks as (
    select * from {{ ref('stg_reference__frameworks') }}
),

framework_unit_levels as (
    select * from {{ ref('int_framework_unit_levels') }}
),

city_gdp as (
    select * from {{ ref('int_city_gdp_keyed') }}
),

aggregates as (
    select * from {{ ref('stg_published__aggregates') }}
    where metric = 'cluster_weighted_score'
),

-- Each edition's city framework: clusters are lists of cities.
city_frameworks as (
    select
        frameworks.edition_id,
        frameworks.framework_id
    from frameworks
    inner join framework_unit_levels
        on frameworks.framework_id = framework_unit_levels.framework_id
    where framework_unit_levels.unit_level = 'city'
),

gdp_years (edition_id, gdp_year) as (
    values
    {%- for edition_id, gdp_year in var('cluster_gdp_year').items() %}
        ('{{ edition_id }}', {{ gdp_year }}){{ ',' if not loop.last }}
    {%- endfor %}
),

member_scores as (
    select
        cluster_members.edition_id,
        cluster_members.cluster_id,
        cluster_members.unit_id,
        gdp_years.gdp_year,
        index_scores.composite_score,
        index_scores.tier_code,
        index_scores.is_synthetic,
        city_gdp.gdp_100m_yuan
    from cluster_members
    inner join city_frameworks
        on cluster_members.edition_id = city_frameworks.edition_id
    inner join index_scores
        on
            city_frameworks.framework_id = index_scores.framework_id
            and cluster_members.unit_id = index_scores.unit_id
    left join gdp_years
        on cluster_members.edition_id = gdp_years.edition_id
    left join city_gdp
        on
            cluster_members.unit_id = city_gdp.unit_id
            and gdp_years.gdp_year = city_gdp.data_year
),

tier_counts as (
    select
        edition_id,
        cluster_id,
        tier_code,
        count(*) as n_units
    from member_scores
    group by edition_id, cluster_id, tier_code
),

tier_mixes as (
    select
        edition_id,
        cluster_id,
        string_agg(tier_code || ':' || n_units, ', ' order by tier_code) as tier_mix
    from tier_counts
    group by edition_id, cluster_id
),

cluster_stats as (
    select
        edition_id,
        cluster_id,
        any_value(gdp_year) as gdp_year,
        count(*) as n_members_scored,
        count(gdp_100m_yuan) as n_members_with_gdp,
        -- Ordered list sums: the same marts bit for bit on every build (docs/engine.md §4).
        list_sum(list(composite_score order by unit_id))
        / count(composite_score) as simple_mean_score,
        list_sum(list(composite_score * gdp_100m_yuan order by unit_id))
        / list_sum(list(gdp_100m_yuan order by unit_id)) as gdp_weighted_score,
        arg_max(unit_id, composite_score) as leader_unit_id,
        max(composite_score) as leader_score,
        bool_or(is_synthetic) as is_synthetic
    from member_scores
    group by edition_id, cluster_id
),

final as (
    select
        clusters.edition_cluster_id,
        clusters.edition_id,
        clusters.cluster_id,
        clusters.cluster_name_zh,
        clusters.cluster_name_en,
        clusters.n_members_listed,
        clusters.n_members_evaluated,
        cluster_stats.n_members_scored,
        cluster_stats.n_members_with_gdp,
        cluster_stats.gdp_year,
        cluster_stats.simple_mean_score,
        cluster_stats.gdp_weighted_score,
        aggregates.value as published_weighted_score,
        cluster_stats.leader_unit_id,
        cluster_stats.leader_score,
        tier_mixes.tier_mix,
        cluster_stats.is_synthetic,
        cluster_stats.gdp_weighted_score - aggregates.value as weighted_score_difference
    from clusters
    left join cluster_stats
        on
            clusters.edition_id = cluster_stats.edition_id
            and clusters.cluster_id = cluster_stats.cluster_id
    left join tier_mixes
        on
            clusters.edition_id = tier_mixes.edition_id
            and clusters.cluster_id = tier_mixes.cluster_id
    left join aggregates
        on
            clusters.edition_id = aggregates.printed_in_edition_id
            and clusters.cluster_id = aggregates.subject
)

select * from final
