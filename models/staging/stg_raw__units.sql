{#-
    One row per line of the user's `units.csv` (beside the raw value files): units no gazetteer
    has (a new zone, a park, a merged district), all text, with file and line (header = line 1).
    Read through the same source as the values; the file's rows are the ones named units.csv.
-#}
with

source_rows as (
    select * from {{ source('raw', 'indicator_values') }}
),

numbered as (
    select
        *,
        row_number() over () as scan_position
    from source_rows
),

-- The optional columns may be absent (and with no units.csv, all of them are).
with_all_columns as (
    select * from numbered
    union all by name
    select
        null::varchar as filename,
        null::varchar as unit_id,
        null::varchar as unit_type,
        null::varchar as name_zh,
        null::varchar as name_en,
        null::varchar as parent_unit_id,
        null::varchar as province_zh,
        null::varchar as longitude,
        null::varchar as latitude,
        null::bigint as scan_position
    where false
),

units_file as (
    select * from with_all_columns
    where regexp_extract(filename, '[^/\\]+$') = 'units.csv'
),

located as (
    select
        'units.csv' as source_file,
        scan_position - min(scan_position) over () + 2 as source_line,
        nullif(trim(unit_id), '') as unit_id,
        nullif(trim(unit_type), '') as unit_type,
        nullif(trim(name_zh), '') as name_zh,
        nullif(trim(name_en), '') as name_en,
        nullif(trim(parent_unit_id), '') as parent_unit_id,
        nullif(trim(province_zh), '') as province_zh,
        nullif(trim(longitude), '') as longitude_text,
        nullif(trim(latitude), '') as latitude_text
    from units_file
)

select * from located
