with

source_rows as (
    {{ union_published_seeds('ranking_tables') }}
),

renamed as (
    select
        table_id,
        edition_id,
        framework_id,
        unit_level,
        ranked_node_code,
        is_rank_printed,
        is_score_printed,
        source_ref,
        seed_name,
        trim(title_zh) as title_zh,
        trim(title_en) as title_en
    from source_rows
)

select * from renamed
