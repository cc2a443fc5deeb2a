{#-
    Bad raw input fails the build before any score is computed. Each returned row names the
    file, line, column and rule, e.g.
    `h3c_dei_2021__city.csv:14 value: value "45%" is not a number`, for the value files and the
    user's units.csv alike (scripts/refresh.py prints them on the console).
    Complexity O(n) in the raw lines (a filter and a union; the sort is over the failures only).
-#}
{{ config(store_failures = true) }}

with

checked_values as (
    select * from {{ ref('int_indicator_values_checked') }}
),

checked_units as (
    select * from {{ ref('int_user_units_checked') }}
),

failures as (
    select
        source_file,
        source_line,
        failed_column,
        check_failure
    from checked_values
    where check_failure is not null
    union all
    select
        source_file,
        source_line,
        failed_column,
        check_failure
    from checked_units
    where check_failure is not null
)

select
    source_file,
    source_line,
    failed_column,
    check_failure,
    source_file
    || ':'
    || source_line
    || ' '
    || failed_column
    || ': '
    || check_failure as error_message
from failures
order by source_file, source_line
