{#- One row per city × year of nominal GDP, keyed by unit_id (int_city_gdp_keyed). -#}
with

city_gdp as (
    select * from {{ ref('int_city_gdp_keyed') }}
)

select * from city_gdp
