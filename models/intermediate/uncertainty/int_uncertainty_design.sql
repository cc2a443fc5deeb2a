{#-
    One row per framework × draw: the Saltelli (2010) design the draws follow. Matrix A holds
    var('uncertainty_draws') independent draws of every input (the Monte Carlo behind the rank
    intervals and tier probabilities); matrix B a second, independent set; matrix AB_g (one per
    input group g) takes group g from B and everything else from A. The first
    var('uncertainty_sobol_base_draws') rows of A, B and each AB_g give the Sobol indices:
    N·(d + 2) evaluations in all for d groups, every one computed in the same set-based pass.
    A framework without uncertain inputs has only matrix A (every draw is the nominal index).
-#}
{%- set n_draws = var('uncertainty_draws') %}
{%- set n_base = var('uncertainty_sobol_base_draws') %}
{%- if n_base > n_draws or n_draws < 1 %}
    {{ exceptions.raise_compiler_error(
        "var('uncertainty_sobol_base_draws') (" ~ n_base ~ ") must be between 0 and "
        ~ "var('uncertainty_draws') (" ~ n_draws ~ ")") }}
{%- endif %}
with

frameworks as (
    select distinct framework_id from {{ ref('int_framework_nodes_weighted') }}
),

input_groups as (
    select distinct
        framework_id,
        input_group,
        group_index
    from {{ ref('int_uncertainty_inputs_declared') }}
),

matrix_a as (
    select
        frameworks.framework_id,
        'A' as design_matrix,
        rows_a.base_row,
        null as resampled_group,
        rows_a.base_row as draw_id
    from frameworks
    cross join range(1, {{ n_draws }} + 1) as rows_a (base_row)
),

matrix_b as (
    select
        frameworks.framework_id,
        'B' as design_matrix,
        rows_b.base_row,
        null as resampled_group,
        {{ n_draws }} + rows_b.base_row as draw_id
    from frameworks
    cross join range(1, {{ n_base }} + 1) as rows_b (base_row)
    where frameworks.framework_id in (select input_groups.framework_id from input_groups)
),

matrices_ab as (
    select
        input_groups.framework_id,
        'AB' as design_matrix,
        rows_ab.base_row,
        input_groups.input_group as resampled_group,
        {{ n_draws }} + {{ n_base }} * input_groups.group_index + rows_ab.base_row as draw_id
    from input_groups
    cross join range(1, {{ n_base }} + 1) as rows_ab (base_row)
)

select * from matrix_a
union all
select * from matrix_b
union all
select * from matrices_ab
