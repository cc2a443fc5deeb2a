{#-
    Every node score of every unit (root included), ranked among the framework's units of the
    same level, with whether any of the unit's inputs is synthetic. One row per framework × unit
    × node; fct_node_scores shows it, fct_index_scores and fct_pillar_scores read it.

    A table: three marts read it, and int_index_scores_tiered (a view read by four more), so as a
    view the whole roll-up would be recomputed for each of them (docs/benchmark.md, "Scale").
-#}
{{ config(materialized='table') }}
with

rolled_up as (
    select * from {{ ref('int_node_scores_rolled_up') }}
),

leaf_scores as (
    select * from {{ ref('int_indicator_scores_normalised') }}
),

unit_provenance as (
    select
        framework_id,
        unit_id,
        -- A unit's scores are synthetic if any of its inputs is.
        bool_or(provenance = 'synthetic') as is_synthetic
    from leaf_scores
    group by framework_id, unit_id
),

ranked as (
    select
        rolled_up.framework_id,
        rolled_up.unit_id,
        rolled_up.unit_level,
        rolled_up.node_code,
        rolled_up.node_level,
        rolled_up.score as score_0_100,
        rolled_up.coverage,
        rolled_up.is_imputed,
        unit_provenance.is_synthetic,
        rolled_up.framework_id || ':' || rolled_up.unit_id || ':' || rolled_up.node_code
            as node_score_id,
        -- Ranks on unrounded scores; ties (equal to 1e-9, below the noise of summing doubles in
        -- parallel) broken by unit_id, so a rebuild ranks identically (docs/engine.md §5).
        case
            when rolled_up.score is not null
                then row_number() over (
                    partition by rolled_up.framework_id, rolled_up.unit_level, rolled_up.node_code
                    order by round(rolled_up.score, 9) desc nulls last, rolled_up.unit_id asc
                )
        end as node_rank
    from rolled_up
    inner join unit_provenance
        on
            rolled_up.framework_id = unit_provenance.framework_id
            and rolled_up.unit_id = unit_provenance.unit_id
)

select * from ranked
