with

source_rows as (
    select * from {{ ref('city_gdp') }}
),

renamed as (
    select
        adcode,
        year as data_year,
        gdp_100m_yuan,
        name_en_as_in_source,
        province_en_as_in_source
    from source_rows
)

select * from renamed
