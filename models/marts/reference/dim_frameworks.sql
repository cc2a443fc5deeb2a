{#- One row per framework: what its tree and the reports say about it (int_frameworks_summarised). -#}
with

frameworks as (
    select * from {{ ref('int_frameworks_summarised') }}
)

select * from frameworks
