with

scale as (
    select * from {{ ref('stg_published__digital_economy_scale') }}
),

unit_aliases as (
    select * from {{ ref('stg_geography__unit_aliases') }}
    where unit_level = 'city'
),

final as (
    select
        scale.edition_id,
        unit_aliases.unit_id,
        scale.name_as_printed,
        scale.scale_100m_yuan,
        scale.source_ref
    from scale
    left join unit_aliases
        on scale.name_as_printed = unit_aliases.alias_zh
)

select * from final
