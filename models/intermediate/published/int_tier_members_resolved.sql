{#- Printed tier-list names with the unit each resolves to. -#}
with

tier_members as (
    select * from {{ ref('stg_published__tier_members') }}
),

unit_aliases as (
    select * from {{ ref('stg_geography__unit_aliases') }}
),

resolved as (
    select
        tier_members.framework_id,
        tier_members.edition_id,
        tier_members.unit_level,
        tier_members.tier_code,
        tier_members.name_as_printed,
        unit_aliases.unit_id,
        tier_members.source_ref
    from tier_members
    left join unit_aliases
        on
            tier_members.unit_level = unit_aliases.unit_level
            and tier_members.name_as_printed = unit_aliases.alias_zh
)

select * from resolved
