{#-
    One row per framework × unit × pillar (level-1 node) with the pillar's name
    (marts.fct_pillar_scores) and the unit's names and printed rank. Pillar scores are never
    printed per unit, so every score here is computed (synthetic for the shipped sample).
-#}
with

pillar_scores as (
    select * from {{ ref('fct_pillar_scores') }}
),

rankings as (
    select * from {{ ref('rankings') }}
),

final as (
    select
        pillar_scores.pillar_score_id,
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
        pillar_scores.pillar_code,
        pillar_scores.node_position as pillar_position,
        pillar_scores.pillar_name_zh,
        pillar_scores.pillar_name_en,
        pillar_scores.pillar_weight,
        pillar_scores.score_0_100 as computed_pillar_score,
        pillar_scores.pillar_rank as computed_pillar_rank,
        pillar_scores.is_imputed as computed_is_imputed,
        pillar_scores.is_synthetic as computed_is_synthetic
    from pillar_scores
    inner join rankings
        on
            pillar_scores.framework_id = rankings.framework_id
            and pillar_scores.unit_id = rankings.unit_id
)

select * from final
