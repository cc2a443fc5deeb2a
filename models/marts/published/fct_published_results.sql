{#- Every printed ranking row with its unit and printed tier (logic: int_ranking_rows_tiered). -#}
with

ranking_rows as (
    select * from {{ ref('int_ranking_rows_tiered') }}
)

select * from ranking_rows
