with

geo_units as (
    select * from {{ ref('stg_geography__geo_units') }}
)

select * from geo_units
