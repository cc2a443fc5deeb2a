with

discrepancies as (
    select * from {{ ref('stg_published__discrepancies') }}
)

select * from discrepancies
