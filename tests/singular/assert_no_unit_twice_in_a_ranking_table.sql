{#-
    Two printed rows of one ranking table must not resolve to the same unit, unless recorded as a
    `duplicate_unit` source discrepancy.
    Complexity O(printed rows): a group by over the transcribed ranking rows.
-#}
with

published_results as (
    select * from {{ ref('fct_published_results') }}
),

discrepancies as (
    select * from {{ ref('stg_published__discrepancies') }}
    where check_name = 'duplicate_unit'
),

repeated as (
    select
        table_id,
        unit_id,
        count(*) as n_rows,
        string_agg(name_as_printed, ' / ') as names_as_printed,
        min(name_as_printed) as first_name
    from published_results
    where unit_id is not null
    group by table_id, unit_id
    having count(*) > 1
)

select repeated.*
from repeated
where not exists (
    select 1
    from discrepancies
    where
        discrepancies.table_id = repeated.table_id
        and discrepancies.subject = repeated.first_name
)
