{#- One row per framework × unit: composite, rank, tier, pillars (int_index_scores_tiered). -#}
with

index_scores as (
    select * from {{ ref('int_index_scores_tiered') }}
)

select * from index_scores
