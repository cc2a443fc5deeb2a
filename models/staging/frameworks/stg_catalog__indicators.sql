{#- One row per framework × leaf indicator: how its raw measure is read and normalised. -#}
with

source_rows as (
    {%- for framework_id in frameworks_defined() %}
        select * from {{ ref('indicator_catalog__' ~ framework_id) }}
        {%- if not loop.last %}
            union all by name
        {%- endif %}
    {%- endfor %}
),

renamed as (
    select
        framework_id,
        node_code,
        measure_zh,
        measure_en,
        unit,
        value_type,
        direction,
        plausible_min,
        plausible_max,
        normalisation,
        goalpost_low,
        goalpost_high,
        ordinal_levels,
        note
    from source_rows
)

select * from renamed
