{#-
    One row per framework × unit × pillar (level-1 node) with the pillar's name: the marts'
    p1_score…p6_score mean different pillars in different frameworks. Pillar scores are never
    printed per unit, so every score here is computed (synthetic for the shipped sample).
-#}
with

node_scores as (
    select * from {{ ref('fct_node_scores') }}
    where node_level = 1
),

nodes as (
    select * from {{ ref('dim_framework_nodes') }}
    where level = 1
),

rankings as (
    select * from {{ ref('rankings') }}
),

final as (
    select
        node_scores.node_score_id as pillar_score_id,
        rankings.edition_id,
        rankings.data_year,
        rankings.framework_id,
        rankings.index_name_zh,
        rankings.index_name_en,
        rankings.unit_id,
        rankings.unit_name_zh,
        rankings.unit_name_en,
        rankings.province_zh,
        rankings.province_en,
        rankings.published_rank,
        nodes.node_code as pillar_code,
        nodes.node_position as pillar_position,
        nodes.name_zh as pillar_name_zh,
        nodes.name_en as pillar_name_en,
        nodes.weight as pillar_weight,
        node_scores.score_0_100 as computed_pillar_score,
        node_scores.node_rank as computed_pillar_rank,
        node_scores.is_imputed as computed_is_imputed,
        node_scores.is_synthetic as computed_is_synthetic
    from node_scores
    inner join nodes
        on
            node_scores.framework_id = nodes.framework_id
            and node_scores.node_code = nodes.node_code
    inner join rankings
        on
            node_scores.framework_id = rankings.framework_id
            and node_scores.unit_id = rankings.unit_id
)

select * from final
