{#-
    Every row of the user's units.csv, checked. `check_failure` names the first rule the row
    breaks (null when valid) and `failed_column` the cell; assert_raw_indicator_values_are_valid
    reports them with file and line, like bad values.
-#}
{%- set unit_types = [
    'prefecture_city', 'autonomous_prefecture', 'league', 'region', 'district', 'county',
    'county_city', 'autonomous_county', 'banner', 'zone'
] %}
with

user_units as (
    select * from {{ ref('stg_raw__units') }}
),

geo_units as (
    select * from {{ ref('stg_geography__geo_units') }}
),

provinces as (
    select * from geo_units
    where unit_type in ('province', 'municipality', 'special_administrative_region')
),

declared_ids as (
    select distinct unit_id from user_units
),

with_lookups as (
    select
        user_units.*,
        gazetteer_unit.name_zh as gazetteer_name_zh,
        provinces.unit_id as province_unit_id,
        try_cast(user_units.longitude_text as double) as longitude,
        try_cast(user_units.latitude_text as double) as latitude,
        count(*) over (partition by user_units.unit_id) as n_same_id,
        coalesce(gazetteer_parent.unit_id, declared_ids.unit_id) as known_parent_unit_id,
        coalesce(gazetteer_parent.province_zh, user_units.province_zh) as resolved_province_zh
    from user_units
    left join geo_units as gazetteer_unit
        on user_units.unit_id = gazetteer_unit.unit_id
    left join geo_units as gazetteer_parent
        on user_units.parent_unit_id = gazetteer_parent.unit_id
    left join declared_ids
        on user_units.parent_unit_id = declared_ids.unit_id
    left join provinces
        on user_units.province_zh = provinces.name_zh
),

-- One flag per rule, so the message and the column below name the same first failure.
flagged as (
    select
        *,
        not regexp_full_match(unit_id, '[a-z][a-z0-9_]*')
        or unit_id like 'cn\_%' escape '\' as is_bad_id,
        unit_type is null
        or unit_type not in (
            {%- for unit_type in unit_types %}
                '{{ unit_type }}'{{ ',' if not loop.last }}
            {%- endfor %}
        ) as is_bad_type,
        parent_unit_id is not null and known_parent_unit_id is null as is_unknown_parent,
        province_zh is not null and province_unit_id is null as is_unknown_province,
        longitude_text is not null
        and (longitude is null or longitude not between 73 and 136) as is_bad_longitude,
        latitude_text is not null
        and (latitude is null or latitude not between 3 and 54) as is_bad_latitude
    from with_lookups
),

checked as (
    select
        *,
        case
            when unit_id is null then 'unit_id is empty'
            when gazetteer_name_zh is not null
                then
                    'unit_id ' || unit_id || ' is already a gazetteer unit (' || gazetteer_name_zh
                    || '): give its values by that id, do not declare it'
            when is_bad_id
                then
                    'unit_id ' || unit_id || ' must be lowercase letters, digits and _'
                    || ' (and not start with cn_, kept for GB/T 2260 codes)'
            when n_same_id > 1 then 'duplicate unit_id ' || unit_id || ' (' || n_same_id || ' rows)'
            when is_bad_type
                then
                    'unit_type ' || coalesce('"' || unit_type || '"', 'empty')
                    || ' is not one of {{ unit_types | join(", ") }}'
            when name_zh is null then 'name_zh is empty'
            when name_en is null then 'name_en is empty'
            when is_unknown_parent
                then
                    'parent_unit_id ' || parent_unit_id
                    || ' is neither a gazetteer unit nor in units.csv'
            when is_unknown_province
                then 'province_zh ' || province_zh || ' is not a province (e.g. 辽宁省, 北京市)'
            when is_bad_longitude
                then 'longitude ' || longitude_text || ' is not a number within China (73..136)'
            when is_bad_latitude
                then 'latitude ' || latitude_text || ' is not a number within China (3..54)'
        end as check_failure,
        case
            when unit_id is null or gazetteer_name_zh is not null or is_bad_id or n_same_id > 1
                then 'unit_id'
            when is_bad_type then 'unit_type'
            when name_zh is null then 'name_zh'
            when name_en is null then 'name_en'
            when is_unknown_parent then 'parent_unit_id'
            when is_unknown_province then 'province_zh'
            when is_bad_longitude then 'longitude'
            when is_bad_latitude then 'latitude'
        end as failed_column
    from flagged
)

select * from checked
