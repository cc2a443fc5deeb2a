with

scale as (
    select * from {{ ref('stg_published__digital_economy_scale') }}
),

printed_names as (
    select * from {{ ref('int_unit_names') }}
    where name_kind = 'printed' and unit_level = 'city'
),

final as (
    select
        scale.edition_id,
        printed_names.unit_id,
        scale.name_as_printed,
        scale.scale_100m_yuan,
        scale.source_ref
    from scale
    left join printed_names
        on scale.name_as_printed = printed_names.name_key
)

select * from final
