with

source_rows as (
    {{ union_published_seeds('clusters') }}
),

renamed as (
    select
        edition_id,
        cluster_id,
        printed_member_count,
        source_ref,
        trim(name_zh) as cluster_name_zh,
        trim(name_en) as cluster_name_en
    from source_rows
)

select * from renamed
