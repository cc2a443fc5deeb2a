with

source_rows as (
    select * from {{ ref('h3c_dei_2021__digital_economy_scale') }}
),

renamed as (
    select
        'h3c_dei_2021' as edition_id,
        trim(name_as_printed) as name_as_printed,
        scale_100m_yuan,
        source_ref
    from source_rows
)

select * from renamed
