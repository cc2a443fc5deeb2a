{#-
    First-order and total Sobol indices of a scalar output, from a Saltelli design, in SQL.
    `outputs` is a relation with one row per evaluation: framework_id, design_matrix ('A', 'B',
    'AB'), base_row, resampled_group (the group an AB row takes from B), y. Returns one row per
    framework × group: s1, s1_conf, st, st_conf, n_base_draws, y_variance.
    Estimators as SALib 1.6.0 `sobol.analyze(calc_second_order=False)`, so it can serve as the
    oracle (tests/python/test_uncertainty_sobol.py): y standardised over the whole design;
    S1 = mean(y_B·(y_ABg − y_A)) / var([y_A, y_B]) (Saltelli 2010); ST = mean((y_A − y_ABg)²) / (2·var)
    (Jansen); var with n in the denominator; a constant output gives 0. Confidence: the 95 %
    half-width 1.96·sd over `n_resamples` bootstrap resamples of the base rows (drawn with
    replacement from `seed`, the same rows for every group, as SALib does).
    Args: outputs (relation name), n_resamples, seed.
-#}
{% macro sobol_indices(outputs, n_resamples, seed) -%}
    with

    standardised as (
        select
            framework_id,
            design_matrix,
            base_row,
            resampled_group,
            coalesce(
                (y - avg(y) over design) / nullif(stddev_pop(y) over design, 0), 0.0
            ) as y
        from {{ outputs }}
        window design as (partition by framework_id)
    ),

    paired as (
        select
            mixed.framework_id,
            mixed.resampled_group as input_group,
            mixed.base_row,
            matrix_a.y as y_a,
            matrix_b.y as y_b,
            mixed.y as y_ab
        from standardised as mixed
        inner join standardised as matrix_a
            on
                mixed.framework_id = matrix_a.framework_id
                and mixed.base_row = matrix_a.base_row
                and matrix_a.design_matrix = 'A'
        inner join standardised as matrix_b
            on
                mixed.framework_id = matrix_b.framework_id
                and mixed.base_row = matrix_b.base_row
                and matrix_b.design_matrix = 'B'
        where mixed.design_matrix = 'AB'
    ),

    base_sizes as (
        select
            framework_id,
            count(distinct base_row) as n_base_draws
        from paired
        group by framework_id
    ),

    -- Resample 0 is the design itself; resamples 1..R draw the base rows with replacement.
    resampled_rows as (
        select
            framework_id,
            0 as resample,
            unnest(range(1, n_base_draws + 1)) as base_row
        from base_sizes
        union all
        select
            base_sizes.framework_id,
            resamples.resample,
            1 + floor(
                {{ seeded_uniform(seed, [
                    "'bootstrap'", 'base_sizes.framework_id', 'resamples.resample', 'positions.position'
                ]) }} * base_sizes.n_base_draws
            )::bigint as base_row
        from base_sizes
        cross join range(1, {{ n_resamples }} + 1) as resamples (resample)
        cross join range(1, (select max(n_base_draws) from base_sizes) + 1) as positions (position)
        where positions.position <= base_sizes.n_base_draws
    ),

    estimates as (
        select
            paired.framework_id,
            paired.input_group,
            resampled_rows.resample,
            count(*) as n_rows,
            (sum(paired.y_a * paired.y_a) + sum(paired.y_b * paired.y_b)) / (2 * count(*))
            - power((sum(paired.y_a) + sum(paired.y_b)) / (2 * count(*)), 2) as y_variance,
            avg(paired.y_b * (paired.y_ab - paired.y_a)) as first_order_numerator,
            avg(power(paired.y_a - paired.y_ab, 2)) / 2 as total_order_numerator
        from resampled_rows
        inner join paired
            on
                resampled_rows.framework_id = paired.framework_id
                and resampled_rows.base_row = paired.base_row
        group by paired.framework_id, paired.input_group, resampled_rows.resample
    ),

    indices as (
        select
            framework_id,
            input_group,
            resample,
            y_variance,
            case when y_variance > 1e-12 then first_order_numerator / y_variance else 0.0 end as s1,
            case when y_variance > 1e-12 then total_order_numerator / y_variance else 0.0 end as st
        from estimates
    )

    select
        indices.framework_id,
        indices.input_group,
        base_sizes.n_base_draws,
        any_value(indices.s1) filter (where indices.resample = 0) as s1,
        1.959963984540054 * stddev_samp(indices.s1) filter (where indices.resample > 0) as s1_conf,
        any_value(indices.st) filter (where indices.resample = 0) as st,
        1.959963984540054 * stddev_samp(indices.st) filter (where indices.resample > 0) as st_conf
    from indices
    inner join base_sizes
        on indices.framework_id = base_sizes.framework_id
    group by indices.framework_id, indices.input_group, base_sizes.n_base_draws
{%- endmacro %}
