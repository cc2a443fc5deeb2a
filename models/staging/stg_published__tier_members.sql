with

source_rows as (
    {{ union_published_seeds('tier_members') }}
),

renamed as (
    select
        framework_id,
        edition_id,
        unit_level,
        tier_code,
        trim(name_as_printed) as name_as_printed,
        source_ref
    from source_rows
)

select * from renamed
