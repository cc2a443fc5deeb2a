{#- One row per edition × printed city cluster, with member counts (int_clusters_counted). -#}
with

clusters as (
    select * from {{ ref('int_clusters_counted') }}
)

select * from clusters
