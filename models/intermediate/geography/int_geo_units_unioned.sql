{#-
    Every unit a value may be given for: the gazetteer (every GB/T 2260 unit and the curated
    zones) and the valid rows of the user's units.csv (`unit_source = 'user'`).

    A table: the resolution joins it several times per build.
-#}
{{ config(materialized='table') }}
with

geo_units as (
    select * from {{ ref('stg_geography__geo_units') }}
),

user_units as (
    select * from {{ ref('int_user_units_checked') }}
    where check_failure is null
),

name_overrides as (
    select * from {{ ref('stg_geography__name_overrides') }}
),

-- The level the gazetteer records for a code whose cpca unit type is out of date.
override_levels as (
    select
        adcode,
        min(unit_level) as unit_level
    from name_overrides
    group by adcode
),

provinces as (
    select * from geo_units
    where unit_type in ('province', 'municipality', 'special_administrative_region')
),

gazetteer as (
    select
        geo_units.*,
        coalesce(override_levels.unit_level, {{ unit_level_of('geo_units.unit_type') }})
            as unit_level,
        'gazetteer' as unit_source
    from geo_units
    left join override_levels
        on geo_units.adcode = override_levels.adcode
),

declared as (
    select
        user_units.unit_id,
        user_units.unit_type,
        user_units.name_zh,
        user_units.name_zh as short_name_zh,
        user_units.name_en,
        null::varchar as adcode,
        user_units.parent_unit_id,
        provinces.province_adcode,
        provinces.province_zh,
        provinces.province_en,
        provinces.macro_region_zh,
        provinces.macro_region_en,
        user_units.longitude,
        user_units.latitude,
        {{ unit_level_of('user_units.unit_type') }} as unit_level,
        'user' as unit_source
    from user_units
    left join provinces
        on user_units.resolved_province_zh = provinces.name_zh
)

select * from gazetteer
union all by name
select * from declared
