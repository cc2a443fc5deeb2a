{#-
    Every non-leaf score equals the weighted aggregate of its children's scores (to 1e-9),
    recomputed here independently of the roll-up model: arithmetic Σwᵢsᵢ/Σwᵢ or geometric
    exp(Σwᵢ ln sᵢ/Σwᵢ) over the children that have a score.
    Complexity O(n) in node rows: equality hash joins on (framework, unit, node), one group by.
-#}
with

node_scores as (
    select * from {{ ref('fct_node_scores') }}
),

nodes as (
    select * from {{ ref('dim_framework_nodes') }}
),

recomputed as (
    select
        parents.framework_id,
        parent_scores.unit_id,
        parents.node_code,
        any_value(parent_scores.score_0_100) as score_0_100,
        case
            when any_value(parents.aggregation) = 'geometric'
                then exp(
                    sum(
                        children.weight
                        * ln(greatest(child_scores.score_0_100, {{ var('geometric_mean_floor') }}))
                    )
                    / sum(children.weight) filter (where child_scores.score_0_100 is not null)
                )
            else
                sum(children.weight * child_scores.score_0_100)
                / sum(children.weight) filter (where child_scores.score_0_100 is not null)
        end as expected_score
    from nodes as parents
    inner join nodes as children
        on
            parents.framework_id = children.framework_id
            and parents.node_code = children.parent_code
    inner join node_scores as parent_scores
        on
            parents.framework_id = parent_scores.framework_id
            and parents.node_code = parent_scores.node_code
    inner join node_scores as child_scores
        on
            children.framework_id = child_scores.framework_id
            and children.node_code = child_scores.node_code
            and parent_scores.unit_id = child_scores.unit_id
    group by parents.framework_id, parent_scores.unit_id, parents.node_code
)

select * from recomputed
where
    score_0_100 is not null
    and abs(score_0_100 - expected_score) > 1e-9
