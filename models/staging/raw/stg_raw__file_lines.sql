{#-
    One row per data line of every CSV in var('raw_data_dir') — the value files and the user's
    units.csv alike — all text, with the file's name and the 1-based line number (the header is
    line 1), so that every check downstream can point at the exact cell.

    A table: the CSVs are scanned once, not once per reader (values, units.csv, checks).
-#}
{{ config(materialized='table') }}
with

source_rows as (
    select * from {{ source('raw', 'indicator_values') }}
),

-- Scan order is file order (DuckDB preserves insertion order), and row_number() over () numbers
-- rows as scanned. A partitioned row_number() would not: its partitions are sorted unstably.
numbered as (
    select
        *,
        row_number() over () as scan_position
    from source_rows
),

-- Optional columns (and the staged copies' source_line) may be absent from every file: a typed
-- empty relation unioned by name guarantees they exist.
with_all_columns as (
    select * from numbered
    union all by name
    select
        null::varchar as filename,
        null::varchar as unit,
        null::varchar as node_code,
        null::varchar as indicator,
        null::varchar as value,  -- noqa: RF04
        null::varchar as note,
        null::varchar as provenance,
        null::varchar as unit_id,
        null::varchar as unit_type,
        null::varchar as name_zh,
        null::varchar as name_en,
        null::varchar as parent_unit_id,
        null::varchar as province_zh,
        null::varchar as longitude,
        null::varchar as latitude,
        null::varchar as source_line,
        null::bigint as scan_position
    where false
),

-- Each file's first scan position: a narrow group-by joined back. (A window partitioned by
-- file over every line did the same and cost 11 of 13 s at 10^7 values.)
file_starts as (
    select
        filename,
        min(scan_position) as first_scan_position
    from with_all_columns
    group by filename
),

located as (
    select
        with_all_columns.* exclude (filename, scan_position, source_line),  -- noqa: RF02
        -- The file's name, not its path: a refresh reads staged copies of the user's files.
        regexp_extract(with_all_columns.filename, '[^/\\]+$') as source_file,
        -- Physical line in the user's file, staged by scripts/check_inputs.py (blank lines and
        -- quoted line breaks count); files read directly number their rows, header = line 1.
        coalesce(
            try_cast(with_all_columns.source_line as bigint),
            with_all_columns.scan_position - file_starts.first_scan_position + 2
        ) as source_line
    from with_all_columns
    inner join file_starts
        on with_all_columns.filename = file_starts.filename
)

select * from located
