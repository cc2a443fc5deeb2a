{#-
    One row per framework × uncertain input group (weights of one tree level, aggregation,
    normalisation, imputation): first-order (S1) and total (ST) Sobol indices of the mean
    absolute rank shift — the average over the framework's units of |rank in the draw − nominal
    rank| — with 95 % bootstrap confidence intervals (macros/uncertainty/sobol_indices.sql).
    S1: the share of the output's variance the input explains alone; ST: alone and through its
    interactions with the others. Saltelli design: matrices A, B and AB_g over the first
    var('uncertainty_sobol_base_draws') base rows.
-#}
with

composites as (
    select * from {{ ref('int_uncertainty_composites_drawn') }}
),

design as (
    select * from {{ ref('int_uncertainty_design') }}
    where base_row <= {{ var('uncertainty_sobol_base_draws') }}
),

nominal as (
    select * from {{ ref('int_index_scores_tiered') }}
    where composite_rank is not null
),

inputs as (
    select
        framework_id,
        input_group,
        count(*) as n_inputs,
        string_agg(input_code, ', ' order by input_code) as input_codes
    from {{ ref('int_uncertainty_inputs_declared') }}
    group by framework_id, input_group
),

rank_shifts as (
    select
        design.framework_id,
        design.design_matrix,
        design.base_row,
        design.resampled_group,
        avg(abs(composites.composite_rank - nominal.composite_rank)) as y
    from design
    inner join composites
        on
            design.framework_id = composites.framework_id
            and design.draw_id = composites.draw_id
    inner join nominal
        on
            composites.framework_id = nominal.framework_id
            and composites.unit_id = nominal.unit_id
    group by design.framework_id, design.design_matrix, design.base_row, design.resampled_group
),

indices as (
    {{ sobol_indices(
        'rank_shifts', var('uncertainty_bootstrap_resamples'), var('uncertainty_seed')
    ) | indent(4) }}
),

final as (
    select
        indices.framework_id,
        indices.input_group,
        inputs.n_inputs,
        inputs.input_codes,
        'mean_absolute_rank_shift' as output_measure,
        indices.n_base_draws,
        indices.s1,
        indices.s1_conf,
        indices.st,
        indices.st_conf,
        indices.framework_id || ':' || indices.input_group as sensitivity_index_id,
        indices.s1 - indices.s1_conf as s1_ci_low,
        indices.s1 + indices.s1_conf as s1_ci_high,
        indices.st - indices.st_conf as st_ci_low,
        indices.st + indices.st_conf as st_ci_high
    from indices
    inner join inputs
        on
            indices.framework_id = inputs.framework_id
            and indices.input_group = inputs.input_group
)

select * from final
