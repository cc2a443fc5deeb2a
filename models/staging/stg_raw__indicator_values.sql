{#-
    One row per line of a raw indicator file, all text, with the file and 1-based line number
    (the header is line 1) so that every check downstream can point at the exact cell.
-#}
with

source_rows as (
    select * from {{ source('raw', 'indicator_values') }}
),

-- Optional columns (note, provenance) may be absent from every file: a typed empty relation
-- unioned by name guarantees they exist.
with_all_columns as (
    select * from source_rows
    union all by name
    select
        null::varchar as filename,
        null::varchar as unit,
        null::varchar as node_code,
        null::varchar as value,  -- noqa: RF04
        null::varchar as note,
        null::varchar as provenance
    where false
),

located as (
    select
        filename as source_file,
        note,
        -- DuckDB keeps insertion order when reading a CSV, so this is the file's data-row order.
        row_number() over (partition by filename) + 1 as source_line,
        regexp_extract(filename, '([^/\\]+)\.csv$', 1) as framework_id,
        trim(unit) as unit,
        trim(node_code) as node_code,
        trim(value) as value_text,
        coalesce(nullif(trim(provenance), ''), 'user_supplied') as provenance
    from with_all_columns
)

select * from located
