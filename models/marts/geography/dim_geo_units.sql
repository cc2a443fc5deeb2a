{#- Every unit: GB/T 2260 units, curated zones and the user's own units.csv (`unit_source`). -#}
with

units as (
    select * from {{ ref('int_geo_units_unioned') }}
)

select * from units
