{#-
    One row per framework × evaluated unit × leaf: the (treated) raw value normalised to 0–100 by
    the method its catalog row names (macros/engine/normalise_*.sql), direction applied first.
    Leaves a unit has no value for are present with a null score, so the roll-up can see them.
-#}
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

-- Sample statistics over the units that have a value (percentile ranks on non-null values only).
with_sample_stats as (
    select
        *,
        min(treated_value) over indicator as sample_min,
        max(treated_value) over indicator as sample_max,
        avg(treated_value) over indicator as sample_mean,
        stddev_samp(treated_value) over indicator as sample_sd,
        count(treated_value) over indicator as n_values,
        case
            when treated_value is not null
                then rank() over (
                    partition by framework_id, node_code, treated_value is null
                    order by direction * treated_value
                )
        end as competition_rank
    from with_values
    window indicator as (partition by framework_id, node_code)
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
