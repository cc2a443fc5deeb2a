with

cluster_members as (
    select * from {{ ref('int_cluster_members_resolved') }}
),

clusters as (
    select * from {{ ref('stg_published__clusters') }}
),

final as (
    select
        cluster_members.edition_id,
        cluster_members.cluster_id,
        clusters.cluster_name_zh,
        cluster_members.unit_id,
        cluster_members.name_as_printed,
        cluster_members.is_evaluated,
        cluster_members.source_ref
    from cluster_members
    inner join clusters
        on
            cluster_members.edition_id = clusters.edition_id
            and cluster_members.cluster_id = clusters.cluster_id
)

select * from final
