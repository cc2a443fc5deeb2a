{#- Complexity O(draws × inputs): hash joins and one group by; no unit rows. -#}
-- The draws table is complete and keyed: one u in [0, 1) per framework × draw × declared input.
{{ config(tags=['uncertainty'], enabled=var('uncertainty', false)) }}
with

draws as (
    select * from {{ ref('int_uncertainty_draws') }}
),

expected as (
    select
        design.framework_id,
        design.draw_id,
        inputs.input_code
    from {{ ref('int_uncertainty_design') }} as design
    inner join {{ ref('int_uncertainty_inputs_declared') }} as inputs
        on design.framework_id = inputs.framework_id
),

counted as (
    select
        expected.framework_id,
        expected.draw_id,
        expected.input_code,
        count(draws.u) as n_rows,
        bool_and(draws.u >= 0 and draws.u < 1) as u_in_range
    from expected
    left join draws
        on
            expected.framework_id = draws.framework_id
            and expected.draw_id = draws.draw_id
            and expected.input_code = draws.input_code
    group by expected.framework_id, expected.draw_id, expected.input_code
)

select * from counted
where n_rows != 1 or not u_in_range
