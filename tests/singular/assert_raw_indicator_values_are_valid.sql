{#-
    Bad raw input fails the build before any score is computed. Each returned row names the
    file, line, column and rule, e.g.
    `data/raw/h3c_dei_2021__city.csv:14 value: value '45%' is not a number`.
-#}
{{ config(store_failures = true) }}

with

checked as (
    select * from {{ ref('int_indicator_values_checked') }}
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
from checked
where check_failure is not null
order by source_file, source_line
