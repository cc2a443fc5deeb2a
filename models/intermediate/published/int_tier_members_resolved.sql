{#- Printed tier-list names with the unit each resolves to. -#}
with

tier_members as (
    select * from {{ ref('stg_published__tier_members') }}
),

printed_names as (
    select * from {{ ref('int_unit_names') }}
    where name_kind = 'printed'
),

resolved as (
    select
        tier_members.framework_id,
        tier_members.edition_id,
        tier_members.unit_level,
        tier_members.tier_code,
        tier_members.name_as_printed,
        printed_names.unit_id,
        tier_members.source_ref
    from tier_members
    left join printed_names
        on
            tier_members.name_as_printed = printed_names.name_key
            and tier_members.unit_level = printed_names.unit_level
)

select * from resolved
