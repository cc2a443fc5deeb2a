{#-
    One row per printed 2021 tier: the mean digital-economy scale (亿元) of its cities with the
    recorded discrepancy applied (digital_economy_scale.is_counted), the mean over every printed
    row as the table stands, and the tier mean the report prints.
-#}
with

scale_rows as (
    select * from {{ ref('digital_economy_scale') }}
),

tier_means_printed as (
    select * from {{ ref('fct_published_aggregates') }}
    where
        framework_id = 'h3c_dei_2021__city'
        and metric = 'digital_economy_scale_100m_yuan'
        and subject_type = 'tier'
),

by_tier as (
    select
        published_tier_code as tier_code,
        any_value(published_tier_label_zh) as tier_label_zh,
        any_value(published_tier_name_en) as tier_name_en,
        count(*) filter (where is_counted) as n_cities,
        avg(scale_100m_yuan) filter (where is_counted) as mean_scale_100m_yuan,
        count(*) as n_rows_as_printed,
        avg(scale_100m_yuan) as mean_scale_all_printed_rows
    from scale_rows
    group by published_tier_code
),

final as (
    select
        by_tier.*,
        tier_means_printed.value as published_mean_scale_100m_yuan,
        tier_means_printed.source_ref as published_source_ref,
        by_tier.mean_scale_100m_yuan - tier_means_printed.value as mean_difference
    from by_tier
    left join tier_means_printed
        on by_tier.tier_code = tier_means_printed.subject
)

select * from final
