{#-
    One row per line of the user's `units.csv` (beside the raw value files): units no gazetteer
    has (a new zone, a park, a merged district), all text, with file and line.
-#}
with

file_lines as (
    select * from {{ ref('stg_raw__file_lines') }}
    where source_file = 'units.csv'
),

renamed as (
    select
        source_file,
        source_line,
        nullif(trim(unit_id), '') as unit_id,
        nullif(trim(unit_type), '') as unit_type,
        nullif(trim(name_zh), '') as name_zh,
        nullif(trim(name_en), '') as name_en,
        nullif(trim(parent_unit_id), '') as parent_unit_id,
        nullif(trim(province_zh), '') as province_zh,
        nullif(trim(longitude), '') as longitude_text,
        nullif(trim(latitude), '') as latitude_text
    from file_lines
)

select * from renamed
