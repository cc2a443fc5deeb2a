{#-
    Pillar scores by name: one row per framework × unit × pillar (level-1 node of the tree), with
    the pillar's code, position, names and weight from the framework's own tree. The positional
    p<n>_score columns of fct_index_scores mean different pillars in different frameworks; this
    mart says which. fct_pillar_scores_wide pivots it for BI.
-#}
with

node_scores as (
    select * from {{ ref('int_node_scores_ranked') }}
    where node_level = 1
),

nodes as (
    select * from {{ ref('int_framework_nodes_weighted') }}
    where node_level = 1
),

pillars as (
    select
        *,
        row_number() over (partition by framework_id order by node_position) as pillar_position
    from nodes
),

final as (
    select
        node_scores.framework_id,
        node_scores.unit_id,
        node_scores.unit_level,
        node_scores.node_code as pillar_code,
        pillars.pillar_position,
        pillars.node_position,
        pillars.name_zh as pillar_name_zh,
        pillars.name_en as pillar_name_en,
        pillars.weight as pillar_weight,
        node_scores.score_0_100,
        node_scores.node_rank as pillar_rank,
        node_scores.coverage,
        node_scores.is_imputed,
        node_scores.is_synthetic,
        node_scores.framework_id || ':' || node_scores.unit_id || ':' || node_scores.node_code
            as pillar_score_id
    from node_scores
    inner join pillars
        on
            node_scores.framework_id = pillars.framework_id
            and node_scores.node_code = pillars.node_code
)

select * from final
