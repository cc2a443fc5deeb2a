{#- Hand-maintained resolutions of printed names, each with the unit level it holds today. -#}
with

source_rows as (
    select * from {{ ref('geo_name_overrides') }}
),

renamed as (
    select
        unit_level,
        adcode,
        reason,
        trim(name_as_printed) as name_as_printed
    from source_rows
)

select * from renamed
