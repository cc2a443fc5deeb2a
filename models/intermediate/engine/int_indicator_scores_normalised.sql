{#-
    One row per framework × evaluated unit × leaf: the (treated) raw value normalised to 0–100 by
    the method its catalog row names (macros/engine/normalise_*.sql), direction applied first.
    Leaves a unit has no value for are present with a null score, so the roll-up can see them.

    A table: fct_indicator_scores and the roll-up both read it.
-#}
{{ config(materialized='table') }}
{%- set label = "framework_id || ' ' || node_code" %}
with

treated as (
    select * from {{ ref('int_indicator_values_treated') }}
),

catalog as (
    select * from {{ ref('stg_catalog__indicators') }}
),

evaluated_units as (
    select distinct
        framework_id,
        unit_id,
        unit_level
    from treated
),

unit_leaf_grid as (
    select
        evaluated_units.framework_id,
        evaluated_units.unit_id,
        evaluated_units.unit_level,
        catalog.node_code,
        catalog.normalisation,
        catalog.direction,
        catalog.goalpost_low,
        catalog.goalpost_high,
        catalog.ordinal_levels
    from evaluated_units
    inner join catalog
        on evaluated_units.framework_id = catalog.framework_id
),

with_values as (
    select
        unit_leaf_grid.*,
        treated.raw_value,
        treated.treated_value,
        treated.treatment,
        treated.provenance,
        treated.source_file,
        treated.source_line
    from unit_leaf_grid
    left join treated
        on
            unit_leaf_grid.framework_id = treated.framework_id
            and unit_leaf_grid.unit_id = treated.unit_id
            and unit_leaf_grid.node_code = treated.node_code
),

-- Sample statistics per indicator over the units that have a value: one row per leaf, joined
-- back (a window over every row would partition and sort them all). Mean and sd add in unit_id
-- order, so a rebuild gives the same bits; only z-score leaves collect the list.
sample_stats as (
    select
        framework_id,
        node_code,
        min(treated_value) as sample_min,
        max(treated_value) as sample_max,
        count(treated_value) as n_values,
        list(treated_value order by unit_id) filter (
            where normalisation = 'zscore' and treated_value is not null
        ) as zscore_values,
        list_avg(zscore_values) as sample_mean,
        list_stddev_samp(zscore_values) as sample_sd
    from with_values
    group by framework_id, node_code
),

-- Percentile ranks (competition rank of direction × value, non-null values only), computed for
-- the percentile-normalised leaves only.
percentile_ranks as (
    select
        framework_id,
        unit_id,
        node_code,
        rank() over (
            partition by framework_id, node_code order by direction * treated_value
        ) as competition_rank
    from with_values
    where normalisation = 'percentile' and treated_value is not null
),

with_sample_stats as (
    select
        with_values.*,
        sample_stats.sample_min,
        sample_stats.sample_max,
        sample_stats.sample_mean,
        sample_stats.sample_sd,
        sample_stats.n_values,
        percentile_ranks.competition_rank
    from with_values
    inner join sample_stats
        on
            with_values.framework_id = sample_stats.framework_id
            and with_values.node_code = sample_stats.node_code
    left join percentile_ranks
        on
            with_values.framework_id = percentile_ranks.framework_id
            and with_values.unit_id = percentile_ranks.unit_id
            and with_values.node_code = percentile_ranks.node_code
),

normalised as (
    select
        framework_id,
        unit_id,
        unit_level,
        node_code,
        raw_value,
        treated_value,
        treatment,
        normalisation,
        source_file,
        source_line,
        coalesce(provenance, 'missing') as provenance,
        treated_value is null as is_missing,
        case
            when treated_value is null then null
            when normalisation = 'goalposts'
                then {{ normalise_goalposts(
                    'treated_value', 'goalpost_low', 'goalpost_high', 'direction'
                ) }}
            when normalisation = 'minmax'
                then {{ normalise_minmax(
                    'treated_value', 'sample_min', 'sample_max', 'direction', label
                ) }}
            when normalisation = 'zscore'
                then {{ normalise_zscore(
                    'treated_value', 'sample_mean', 'sample_sd', 'direction', label
                ) }}
            when normalisation = 'percentile'
                then {{ normalise_percentile('competition_rank', 'n_values', label) }}
            when normalisation = 'ordinal_map'
                then {{ normalise_ordinal('treated_value', 'ordinal_levels', 'direction') }}
            when normalisation = 'boolean_map'
                then {{ normalise_boolean('treated_value', 'direction') }}
        end as score
    from with_sample_stats
)

select * from normalised
