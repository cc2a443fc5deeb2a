{#-
    THE draws: one row per framework × draw × uncertain input, keyed (framework_id, draw_id,
    input_code), with u ∈ [0, 1) from var('uncertainty_seed') (macros/uncertainty/seeded_uniform).
    u depends on the seed, the framework, the matrix side (A or B), the base row and the input —
    so an AB_g row reuses exactly A's numbers except for group g, which it takes from B.
    Every other uncertainty model decodes these numbers; none draws its own.
-#}
with

design as (
    select * from {{ ref('int_uncertainty_design') }}
),

inputs as (
    select * from {{ ref('int_uncertainty_inputs_declared') }}
),

sided as (
    select
        design.framework_id,
        design.draw_id,
        design.design_matrix,
        design.base_row,
        design.resampled_group,
        inputs.input_code,
        inputs.input_group,
        inputs.input_kind,
        inputs.node_code,
        inputs.node_level,
        inputs.factor,
        case
            when design.design_matrix = 'B' then 'B'
            when
                design.design_matrix = 'AB' and inputs.input_group = design.resampled_group
                then 'B'
            else 'A'
        end as sample_side
    from design
    inner join inputs
        on design.framework_id = inputs.framework_id
)

select
    *,
    {{ seeded_uniform(var('uncertainty_seed'), [
        'framework_id', 'sample_side', 'base_row', 'input_code'
    ]) }} as u
from sided
