with

source_rows as (
    select * from {{ ref('editions') }}
)

select * from source_rows
