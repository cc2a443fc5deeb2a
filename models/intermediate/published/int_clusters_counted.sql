{#- One row per edition × printed city cluster, with its listed and evaluated member counts. -#}
with

clusters as (
    select * from {{ ref('stg_published__clusters') }}
),

cluster_members as (
    select * from {{ ref('stg_published__cluster_members') }}
),

member_counts as (
    select
        edition_id,
        cluster_id,
        count(*) as n_members_listed,
        count(*) filter (where is_evaluated) as n_members_evaluated
    from cluster_members
    group by edition_id, cluster_id
),

final as (
    select
        clusters.edition_id,
        clusters.cluster_id,
        clusters.cluster_name_zh,
        clusters.cluster_name_en,
        clusters.printed_member_count,
        clusters.source_ref,
        clusters.edition_id || ':' || clusters.cluster_id as edition_cluster_id,
        coalesce(member_counts.n_members_listed, 0) as n_members_listed,
        coalesce(member_counts.n_members_evaluated, 0) as n_members_evaluated
    from clusters
    left join member_counts
        on
            clusters.edition_id = member_counts.edition_id
            and clusters.cluster_id = member_counts.cluster_id
)

select * from final
