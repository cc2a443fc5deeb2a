with

city_gdp as (
    select * from {{ ref('stg_economy__city_gdp') }}
),

geo_units as (
    select * from {{ ref('stg_geography__geo_units') }}
),

final as (
    select
        'cn_' || city_gdp.adcode as unit_id,
        city_gdp.adcode,
        city_gdp.data_year,
        city_gdp.gdp_100m_yuan,
        geo_units.unit_id is not null as is_in_geo_units,
        city_gdp.name_en_as_in_source,
        city_gdp.province_en_as_in_source
    from city_gdp
    left join geo_units
        on city_gdp.adcode = geo_units.adcode
)

select * from final
