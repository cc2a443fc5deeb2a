with

source_rows as (
    {{ union_published_seeds('ranking_rows') }}
),

renamed as (
    select
        table_id,
        edition_id,
        row_order,
        published_rank,
        published_score,
        source_ref,
        seed_name,
        trim(name_as_printed) as name_as_printed
    from source_rows
)

select * from renamed
