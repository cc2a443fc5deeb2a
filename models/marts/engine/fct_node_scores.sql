{#- Every node score of every unit, ranked (logic: int_node_scores_ranked). -#}
with

node_scores as (
    select * from {{ ref('int_node_scores_ranked') }}
)

select * from node_scores
