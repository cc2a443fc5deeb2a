with

source_rows as (
    select * from {{ ref('h3c_dei_2021__digital_economy_scale') }}
),

renamed as (
    select
        'h3c_dei_2021' as edition_id,
        scale_100m_yuan,
        source_ref,
        trim(name_as_printed) as name_as_printed
    from source_rows
)

select * from renamed
