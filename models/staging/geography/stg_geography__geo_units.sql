with

source_rows as (
    select * from {{ ref('geo_units') }}
)

select * from source_rows
