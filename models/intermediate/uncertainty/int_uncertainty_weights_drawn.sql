{#-
    One row per framework × draw × non-root node: how the node enters its parent in that draw —
    its weight perturbed (macros/uncertainty/perturbed_weight.sql) and renormalised so siblings
    sum to 1, and the parent's aggregation (the draw's choice for the parent's level, else the
    parent's own). `nominal_weight` stays for the coverage rule, which is about the data, not the
    draw. Inputs that are not varied leave the nominal weight and aggregation.
-#}
with

design as (
    select * from {{ ref('int_uncertainty_design') }}
),

nodes as (
    select * from {{ ref('int_framework_nodes_weighted') }}
),

weight_draws as (
    select * from {{ ref('int_uncertainty_draws') }}
    where input_kind = 'weight'
),

aggregation_draws as (
    select * from {{ ref('int_uncertainty_draws') }}
    where input_kind = 'aggregation'
),

perturbed as (
    select
        design.framework_id,
        design.draw_id,
        nodes.node_code,
        nodes.parent_code,
        nodes.node_level,
        nodes.is_leaf,
        nodes.weight as nominal_weight,
        {{ perturbed_weight('nodes.weight', 'weight_draws.factor', 'weight_draws.u') }}
            as perturbed_weight,
        case
            when aggregation_draws.u < 0.5 then 'arithmetic'
            when aggregation_draws.u >= 0.5 then 'geometric'
            else parents.aggregation
        end as parent_aggregation
    from design
    inner join nodes
        on design.framework_id = nodes.framework_id
    inner join nodes as parents
        on
            nodes.framework_id = parents.framework_id
            and nodes.parent_code = parents.node_code
    left join weight_draws
        on
            design.framework_id = weight_draws.framework_id
            and design.draw_id = weight_draws.draw_id
            and nodes.node_code = weight_draws.node_code
    left join aggregation_draws
        on
            design.framework_id = aggregation_draws.framework_id
            and design.draw_id = aggregation_draws.draw_id
            and parents.node_level = aggregation_draws.node_level
)

select
    framework_id,
    draw_id,
    node_code,
    parent_code,
    node_level,
    is_leaf,
    nominal_weight,
    parent_aggregation,
    perturbed_weight
    / sum(perturbed_weight) over (partition by framework_id, draw_id, parent_code) as weight
from perturbed
