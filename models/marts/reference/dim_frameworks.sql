{#- One row per framework, described by its tree and the reports (int_frameworks_summarised). -#}
with

frameworks as (
    select * from {{ ref('int_frameworks_summarised') }}
)

select * from frameworks
