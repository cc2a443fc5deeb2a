with

ranking_tables as (
    select * from {{ ref('stg_published__ranking_tables') }}
),

ranking_rows as (
    select * from {{ ref('int_ranking_rows_resolved') }}
),

table_stats as (
    select
        table_id,
        count(*) as n_rows,
        count(published_score) as n_scores,
        avg(published_score) as mean_published_score,
        max(published_score) as max_published_score,
        min(published_score) as min_published_score
    from ranking_rows
    group by table_id
),

final as (
    select
        ranking_tables.table_id,
        ranking_tables.edition_id,
        ranking_tables.framework_id,
        ranking_tables.unit_level,
        ranking_tables.ranked_node_code,
        ranking_tables.title_zh,
        ranking_tables.title_en,
        ranking_tables.is_rank_printed,
        ranking_tables.is_score_printed,
        table_stats.mean_published_score,
        table_stats.max_published_score,
        table_stats.min_published_score,
        ranking_tables.source_ref,
        coalesce(table_stats.n_rows, 0) as n_rows,
        coalesce(table_stats.n_scores, 0) as n_scores
    from ranking_tables
    left join table_stats
        on ranking_tables.table_id = table_stats.table_id
)

select * from final
