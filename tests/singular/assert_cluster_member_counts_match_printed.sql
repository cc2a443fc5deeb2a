{#-
    The members listed for each cluster must number the "N 个市" the report prints, unless
    recorded as a `cluster_member_count` source discrepancy.
    Complexity O(printed cluster members): independent of the number of units scored.
-#}
with

clusters as (
    select * from {{ ref('dim_clusters') }}
),

discrepancies as (
    select * from {{ ref('stg_published__discrepancies') }}
    where check_name = 'cluster_member_count'
)

select clusters.*
from clusters
where
    clusters.printed_member_count is not null
    and clusters.n_members_listed <> clusters.printed_member_count
    and not exists (
        select 1
        from discrepancies
        where
            discrepancies.edition_id = clusters.edition_id
            and discrepancies.subject = clusters.cluster_id
    )
