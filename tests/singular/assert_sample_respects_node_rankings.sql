{#-
    Published rankings of a single node (CCID's per-pillar and per-indicator lists): on the
    synthetic sample, listed units' scores of that node follow the printed order, and every
    listed unit scores above every evaluated unit the list leaves out.
    Complexity O(n log n) in node rows: a lead() over each node's rank order, then hash joins.
-#}
with

published_results as (
    select * from {{ ref('fct_published_results') }}
),

ranking_tables as (
    select * from {{ ref('dim_ranking_tables') }}
    where ranked_node_code != 'root' and is_rank_printed
),

node_scores as (
    select * from {{ ref('fct_node_scores') }}
    where is_synthetic
),

listed as (
    select
        ranking_tables.table_id,
        ranking_tables.framework_id,
        ranking_tables.ranked_node_code,
        published_results.unit_id,
        published_results.published_rank,
        node_scores.score_0_100,
        lead(node_scores.score_0_100) over (
            partition by ranking_tables.table_id order by published_results.published_rank
        ) as score_listed_below
    from ranking_tables
    inner join published_results
        on ranking_tables.table_id = published_results.table_id
    inner join node_scores
        on
            ranking_tables.framework_id = node_scores.framework_id
            and ranking_tables.ranked_node_code = node_scores.node_code
            and published_results.unit_id = node_scores.unit_id
),

lowest_listed as (
    select
        table_id,
        framework_id,
        ranked_node_code,
        min(score_0_100) as lowest_listed_score
    from listed
    group by table_id, framework_id, ranked_node_code
),

out_of_order as (
    select
        table_id,
        unit_id,
        'not above the next listed unit' as failure
    from listed
    where score_0_100 <= score_listed_below
),

unlisted_above as (
    select
        lowest_listed.table_id,
        node_scores.unit_id,
        'unlisted unit at or above a listed one' as failure
    from lowest_listed
    inner join node_scores
        on
            lowest_listed.framework_id = node_scores.framework_id
            and lowest_listed.ranked_node_code = node_scores.node_code
    left join listed
        on
            lowest_listed.table_id = listed.table_id
            and node_scores.unit_id = listed.unit_id
    where
        node_scores.score_0_100 >= lowest_listed.lowest_listed_score
        and listed.unit_id is null
)

select * from out_of_order
union all
select * from unlisted_above
