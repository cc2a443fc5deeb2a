{#-
    One row per printed row of the 2021 digital-economy scale table (亿元), named, with the city's
    printed 2021 tier. Where the report prints a city twice (兰州: 1256 at rank 74, 662 at rank 120;
    fct_source_discrepancies), is_counted keeps the row whose value reproduces the report's own
    printed tier average and marks the other superseded: both stay, each with its source line.
-#}
{%- set framework_id = 'h3c_dei_2021__city' %}
with

scale as (
    select * from {{ ref('fct_digital_economy_scale') }}
),

rankings as (
    select * from {{ ref('rankings') }}
    where framework_id = '{{ framework_id }}'
),

discrepancies as (
    select * from {{ ref('fct_source_discrepancies') }}
    where check_name = 'duplicate_unit'
),

tier_means_printed as (
    select * from {{ ref('fct_published_aggregates') }}
    where
        framework_id = '{{ framework_id }}'
        and metric = 'digital_economy_scale_100m_yuan'
        and subject_type = 'tier'
),

rows_named as (
    select
        scale.edition_id,
        scale.source_ref,
        scale.name_as_printed,
        scale.unit_id,
        rankings.unit_name_zh,
        rankings.unit_name_en,
        rankings.province_zh,
        rankings.province_en,
        rankings.macro_region_zh,
        rankings.macro_region_en,
        rankings.published_tier_code,
        rankings.published_tier_label_zh,
        rankings.published_tier_name_en,
        rankings.published_rank as index_published_rank,
        scale.scale_100m_yuan,
        scale.edition_id || ':' || scale.name_as_printed || '@' || scale.source_ref as scale_row_id,
        count(*) over (partition by scale.unit_id) > 1 as is_printed_twice
    from scale
    left join rankings
        on scale.unit_id = rankings.unit_id
),

single_rows_by_tier as (
    select
        published_tier_code,
        sum(scale_100m_yuan) as sum_scale,
        count(*) as n_rows
    from rows_named
    where not is_printed_twice
    group by published_tier_code
),

-- Tier mean if this row were the unit's only row; the closest to the printed mean is kept.
candidates as (
    select
        rows_named.scale_row_id,
        rows_named.unit_id,
        tier_means_printed.value as printed_tier_mean,
        tier_means_printed.source_ref as printed_tier_mean_source_ref,
        abs(
            (single_rows_by_tier.sum_scale + rows_named.scale_100m_yuan)
            / (single_rows_by_tier.n_rows + 1)
            - tier_means_printed.value
        ) as distance_to_printed_mean
    from rows_named
    inner join single_rows_by_tier
        on rows_named.published_tier_code = single_rows_by_tier.published_tier_code
    inner join tier_means_printed
        on rows_named.published_tier_code = tier_means_printed.subject
    where rows_named.is_printed_twice
),

chosen as (
    select
        *,
        distance_to_printed_mean
        = min(distance_to_printed_mean) over (partition by unit_id) as is_kept
    from candidates
),

final as (
    select
        rows_named.*,
        discrepancies.discrepancy_id,
        not rows_named.is_printed_twice or coalesce(chosen.is_kept, false) as is_counted,
        case
            when chosen.is_kept
                then
                    'kept: with this value the tier mean is the printed '
                    || chosen.printed_tier_mean::varchar
                    || ' ('
                    || chosen.printed_tier_mean_source_ref
                    || ')'
            when rows_named.is_printed_twice
                then 'superseded: printed twice; the other row reproduces the printed tier mean'
        end as discrepancy_resolution
    from rows_named
    left join chosen
        on rows_named.scale_row_id = chosen.scale_row_id
    left join discrepancies
        on
            rows_named.is_printed_twice
            and rows_named.name_as_printed = discrepancies.subject
)

select * from final
