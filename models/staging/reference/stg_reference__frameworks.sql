with

source_rows as (
    select * from {{ ref('frameworks') }}
)

select * from source_rows
