with

source_rows as (
    {{ union_published_seeds('cluster_members') }}
),

renamed as (
    select
        edition_id,
        cluster_id,
        is_evaluated,
        source_ref,
        trim(name_as_printed) as name_as_printed
    from source_rows
)

select * from renamed
