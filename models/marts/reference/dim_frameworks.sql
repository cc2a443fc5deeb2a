{#- One row per framework: the tree's and the reports' facts about it (int_frameworks_summarised). -#}
with

frameworks as (
    select * from {{ ref('int_frameworks_summarised') }}
)

select * from frameworks
