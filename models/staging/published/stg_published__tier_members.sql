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
        source_ref,
        trim(name_as_printed) as name_as_printed
    from source_rows
)

select * from renamed
