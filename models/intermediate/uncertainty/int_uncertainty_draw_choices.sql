{#-
    One row per framework × draw: the design row and the draw's framework-wide choices decoded
    from its uniforms — the normalisation variant for continuous leaves (`nominal` = the
    catalog's method, else one of var('uncertainty_normalisation_alternatives'), equally likely)
    and the imputation rule (`available` = the engine's, `indicator_mean` with probability 1/2).
-#}
{%- set variants = ['nominal'] + var('uncertainty_normalisation_alternatives') %}
{%- set variant_list = "['" ~ variants | join("', '") ~ "']" %}
with

design as (
    select * from {{ ref('int_uncertainty_design') }}
),

draws as (
    select * from {{ ref('int_uncertainty_draws') }}
    where input_kind in ('normalisation', 'imputation')
),

decoded as (
    select
        design.framework_id,
        design.draw_id,
        design.design_matrix,
        design.base_row,
        design.resampled_group,
        coalesce(
            max(
                {{ variant_list }}[
                    1 + floor(draws.u * {{ variants | length }})::integer
                ]
            ) filter (where draws.input_kind = 'normalisation'),
            'nominal'
        ) as normalisation_variant,
        coalesce(
            max(
                case when draws.u < 0.5 then 'indicator_mean' else 'available' end
            ) filter (where draws.input_kind = 'imputation'),
            'available'
        ) as imputation
    from design
    left join draws
        on
            design.framework_id = draws.framework_id
            and design.draw_id = draws.draw_id
    group by
        design.framework_id,
        design.draw_id,
        design.design_matrix,
        design.base_row,
        design.resampled_group
)

select * from decoded
