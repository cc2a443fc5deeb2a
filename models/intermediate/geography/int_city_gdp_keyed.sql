{#- One row per city × year of nominal GDP (seeds/economy), keyed by its GB/T 2260 unit_id. -#}
with

city_gdp as (
    select * from {{ ref('stg_economy__city_gdp') }}
),

geo_units as (
    select * from {{ ref('stg_geography__geo_units') }}
),

with_unit_ids as (
    select
        *,
        'cn_' || adcode as unit_id
    from city_gdp
),

final as (
    select
        with_unit_ids.unit_id,
        with_unit_ids.adcode,
        with_unit_ids.data_year,
        with_unit_ids.gdp_100m_yuan,
        with_unit_ids.name_en_as_in_source,
        with_unit_ids.province_en_as_in_source,
        -- Join on unit_id, not adcode: zones share their host's adcode.
        geo_units.unit_id is not null as is_in_geo_units
    from with_unit_ids
    left join geo_units
        on with_unit_ids.unit_id = geo_units.unit_id
)

select * from final
