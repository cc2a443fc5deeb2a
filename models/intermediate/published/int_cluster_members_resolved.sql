{#- Printed city-cluster members (always city level) with the unit each resolves to. -#}
with

cluster_members as (
    select * from {{ ref('stg_published__cluster_members') }}
),

unit_aliases as (
    select * from {{ ref('stg_geography__unit_aliases') }}
    where unit_level = 'city'
),

resolved as (
    select
        cluster_members.edition_id,
        cluster_members.cluster_id,
        cluster_members.name_as_printed,
        unit_aliases.unit_id,
        cluster_members.is_evaluated,
        cluster_members.source_ref
    from cluster_members
    left join unit_aliases
        on cluster_members.name_as_printed = unit_aliases.alias_zh
)

select * from resolved
