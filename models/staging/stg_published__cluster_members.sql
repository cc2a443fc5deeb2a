with

source_rows as (
    {{ union_published_seeds('cluster_members') }}
),

renamed as (
    select
        edition_id,
        cluster_id,
        trim(name_as_printed) as name_as_printed,
        is_evaluated,
        source_ref
    from source_rows
)

select * from renamed
