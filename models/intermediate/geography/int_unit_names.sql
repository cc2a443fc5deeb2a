{#-
    The one name resolver: every key a unit is known by, at the level it answers at. Every model
    that turns a printed or given name into a unit joins here on (name_key, unit_level), an
    equality join on a materialised table (the engine resolves every raw value's unit through
    it). Kinds, in the engine's order of precedence (resolution_step):
    1 unit_id, 2 a name a report prints at that level (seeds/geography/unit_aliases.csv),
    3 the official name (锦州市), 4 the official name without its suffix (锦州).
    A unit's level comes from the gazetteer (int_geo_units_unioned), a printed name's from the
    level it is printed at.
-#}
{{ config(materialized='table') }}
with

units as (
    select * from {{ ref('int_geo_units_unioned') }}
),

unit_aliases as (
    select * from {{ ref('stg_geography__unit_aliases') }}
),

names as (
    select
        unit_id as name_key,
        unit_level,
        unit_id,
        name_zh as unit_name_zh,
        1 as resolution_step,
        'unit_id' as name_kind
    from units
    union all
    select
        unit_aliases.alias_zh as name_key,
        unit_aliases.unit_level,
        unit_aliases.unit_id,
        units.name_zh as unit_name_zh,
        2 as resolution_step,
        'printed' as name_kind
    from unit_aliases
    inner join units
        on unit_aliases.unit_id = units.unit_id
    union all
    select
        name_zh as name_key,
        unit_level,
        unit_id,
        name_zh as unit_name_zh,
        3 as resolution_step,
        'official' as name_kind
    from units
    union all
    select
        short_name_zh as name_key,
        unit_level,
        unit_id,
        name_zh as unit_name_zh,
        4 as resolution_step,
        'short' as name_kind
    from units
    where short_name_zh is not null
)

select * from names
