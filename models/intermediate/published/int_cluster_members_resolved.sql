{#- Printed city-cluster members (always city level) with the unit each resolves to. -#}
with

cluster_members as (
    select * from {{ ref('stg_published__cluster_members') }}
),

printed_names as (
    select * from {{ ref('int_unit_names') }}
    where name_kind = 'printed' and unit_level = 'city'
),

resolved as (
    select
        cluster_members.edition_id,
        cluster_members.cluster_id,
        cluster_members.name_as_printed,
        printed_names.unit_id,
        cluster_members.is_evaluated,
        cluster_members.source_ref
    from cluster_members
    left join printed_names
        on cluster_members.name_as_printed = printed_names.name_key
)

select * from resolved
