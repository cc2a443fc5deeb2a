{#-
    One row per line of a raw indicator file (`<framework_id>.csv`), all text, with its file and
    line. `units.csv` in the same folder declares user-defined units (stg_raw__units), not values.
-#}
with

file_lines as (
    select * from {{ ref('stg_raw__file_lines') }}
    where source_file != 'units.csv'
),

renamed as (
    select
        note,
        source_file,
        source_line,
        regexp_extract(source_file, '(.+)\.csv$', 1) as framework_id,
        trim(unit) as unit,
        trim(node_code) as node_code,
        nullif(trim(indicator), '') as indicator,
        trim(value) as value_text,
        coalesce(nullif(trim(provenance), ''), 'user_supplied') as provenance
    from file_lines
)

select * from renamed
