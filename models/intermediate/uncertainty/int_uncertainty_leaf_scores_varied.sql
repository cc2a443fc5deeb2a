{#-
    One row per framework × unit × leaf × normalisation variant × imputation rule: the leaf score
    a draw uses. `nominal` is the engine's score (int_indicator_scores_normalised, unchanged);
    the alternatives re-normalise the same treated value of continuous leaves with the engine's
    macros (ordinal and boolean maps have no alternative and keep the nominal score; an
    alternative undefined for a leaf — zero range, one value — keeps it too). Imputation
    `available` leaves a missing score missing (the engine's rule); `indicator_mean` fills it with
    the mean score of the leaf over the framework's units, under the same variant.
-#}
{%- set variants = var('uncertainty_normalisation_alternatives') %}
{%- set label = "framework_id || ' ' || node_code" %}
with

leaf_scores as (
    select * from {{ ref('int_indicator_scores_normalised') }}
),

catalog as (
    select * from {{ ref('stg_catalog__indicators') }}
),

with_sample_stats as (
    select
        leaf_scores.framework_id,
        leaf_scores.unit_id,
        leaf_scores.unit_level,
        leaf_scores.node_code,
        leaf_scores.treated_value,
        leaf_scores.score as nominal_score,
        catalog.value_type,
        catalog.direction,
        min(leaf_scores.treated_value) over indicator as sample_min,
        max(leaf_scores.treated_value) over indicator as sample_max,
        avg(leaf_scores.treated_value) over indicator as sample_mean,
        stddev_samp(leaf_scores.treated_value) over indicator as sample_sd,
        count(leaf_scores.treated_value) over indicator as n_values,
        case
            when leaf_scores.treated_value is not null
                then rank() over (
                    partition by
                        leaf_scores.framework_id,
                        leaf_scores.node_code,
                        leaf_scores.treated_value is null
                    order by catalog.direction * leaf_scores.treated_value
                )
        end as competition_rank
    from leaf_scores
    inner join catalog
        on
            leaf_scores.framework_id = catalog.framework_id
            and leaf_scores.node_code = catalog.node_code
    window indicator as (partition by leaf_scores.framework_id, leaf_scores.node_code)
),

variants as (
    select
        framework_id,
        unit_id,
        unit_level,
        node_code,
        'nominal' as normalisation_variant,
        nominal_score as score
    from with_sample_stats
    {%- for variant in variants %}
        union all
        select
            framework_id,
            unit_id,
            unit_level,
            node_code,
            '{{ variant }}' as normalisation_variant,
            case
                when treated_value is null or value_type != 'continuous' then nominal_score
                {%- if variant == 'minmax' %}
                    when sample_max > sample_min
                        then {{ normalise_minmax(
                        'treated_value', 'sample_min', 'sample_max', 'direction', label
                    ) }}
                {%- elif variant == 'zscore' %}
                    when sample_sd > 0
                        then {{ normalise_zscore(
                        'treated_value', 'sample_mean', 'sample_sd', 'direction', label
                    ) }}
                {%- elif variant == 'percentile' %}
                    when n_values >= 2
                        then {{ normalise_percentile('competition_rank', 'n_values', label) }}
                {%- else %}
                {{ exceptions.raise_compiler_error(
                    "var('uncertainty_normalisation_alternatives'): unknown method '" ~ variant
                    ~ "' (minmax, zscore, percentile)") }}
            {%- endif %}
                else nominal_score
            end as score
        from with_sample_stats
    {%- endfor %}
),

imputed as (
    select
        *,
        'available' as imputation
    from variants
    union all
    select
        framework_id,
        unit_id,
        unit_level,
        node_code,
        normalisation_variant,
        coalesce(
            score,
            avg(score) over (partition by framework_id, node_code, normalisation_variant)
        ) as score,
        'indicator_mean' as imputation
    from variants
)

select * from imputed
