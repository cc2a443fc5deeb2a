{#-
    One row per edition × city cluster (城市群): the printed 综合加权评分 beside two recomputations —
    from the PRINTED member scores (real figures, GDP-weighted as the reports do) and from the
    engine's computed scores (synthetic for the shipped sample) — with the leader and the tier mix
    by printed tier, all named.
-#}
with

cluster_scores as (
    select * from {{ ref('fct_cluster_scores') }}
),

cluster_members as (
    select * from {{ ref('bridge_cluster_members') }}
    where is_evaluated
),

rankings as (
    select * from {{ ref('rankings') }}
    where unit_level = 'city'
),

city_gdp as (
    select * from {{ ref('fct_city_gdp') }}
),

editions as (
    select * from {{ ref('dim_editions') }}
),

member_scores as (
    select
        cluster_members.edition_id,
        cluster_members.cluster_id,
        rankings.unit_name_zh,
        rankings.unit_name_en,
        rankings.published_score,
        rankings.published_rank,
        rankings.published_tier_label_zh,
        city_gdp.gdp_100m_yuan
    from cluster_members
    inner join cluster_scores
        on
            cluster_members.edition_id = cluster_scores.edition_id
            and cluster_members.cluster_id = cluster_scores.cluster_id
    inner join rankings
        on
            cluster_members.edition_id = rankings.edition_id
            and cluster_members.unit_id = rankings.unit_id
    left join city_gdp
        on
            cluster_members.unit_id = city_gdp.unit_id
            and cluster_scores.gdp_year = city_gdp.data_year
),

published_member_stats as (
    select
        edition_id,
        cluster_id,
        count(published_score) as n_members_with_published_score,
        avg(published_score) as published_members_mean_score,
        sum(published_score * gdp_100m_yuan)
        / sum(gdp_100m_yuan) filter (where published_score is not null)
            as published_members_gdp_weighted_score,
        arg_min(unit_name_zh, published_rank) as leader_name_zh,
        arg_min(unit_name_en, published_rank) as leader_name_en,
        min(published_rank) as leader_published_rank,
        {{ count_by_tier_label('published_tier_label_zh', 'n_members_') }}
    from member_scores
    group by edition_id, cluster_id
),

final as (
    select
        cluster_scores.edition_cluster_id,
        cluster_scores.edition_id,
        editions.publisher_zh,
        editions.publisher_en,
        editions.data_year,
        cluster_scores.cluster_id,
        cluster_scores.cluster_name_zh,
        cluster_scores.cluster_name_en,
        cluster_scores.n_members_listed,
        cluster_scores.n_members_evaluated,
        cluster_scores.gdp_year,
        cluster_scores.published_weighted_score,
        published_member_stats.published_members_gdp_weighted_score,
        published_member_stats.n_members_with_published_score,
        published_member_stats.published_members_mean_score,
        published_member_stats.leader_name_zh,
        published_member_stats.leader_name_en,
        published_member_stats.leader_published_rank,
        published_member_stats.n_members_tier_1,
        published_member_stats.n_members_new_tier_1,
        published_member_stats.n_members_tier_2,
        published_member_stats.n_members_tier_3,
        published_member_stats.n_members_tier_4,
        cluster_scores.gdp_weighted_score as computed_gdp_weighted_score,
        cluster_scores.simple_mean_score as computed_mean_score,
        cluster_scores.weighted_score_difference as computed_weighted_difference,
        cluster_scores.is_synthetic as computed_is_synthetic,
        published_member_stats.published_members_gdp_weighted_score
        - cluster_scores.published_weighted_score as published_members_weighted_difference
    from cluster_scores
    inner join editions
        on cluster_scores.edition_id = editions.edition_id
    left join published_member_stats
        on
            cluster_scores.edition_id = published_member_stats.edition_id
            and cluster_scores.cluster_id = published_member_stats.cluster_id
)

select * from final
