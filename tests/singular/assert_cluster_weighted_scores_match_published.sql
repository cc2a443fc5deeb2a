{#-
    Reconciliation (synthetic sample only): for the editions in
    var('cluster_score_reconciled_editions') (h3c_dei_2021), the GDP-share weighted cluster score
    computed from the calibrated sample is within var('mean_tolerance') of the printed 综合加权评分.
    A research team's own values are not expected to reproduce it. Other editions' differences
    are reported in fct_cluster_scores and explained in the README.
    Complexity O(clusters): a filter over fct_cluster_scores.
-#}
with

cluster_scores as (
    select * from {{ ref('fct_cluster_scores') }}
)

select * from cluster_scores
where
    is_synthetic
    and edition_id in ('{{ var("cluster_score_reconciled_editions") | join("', '") }}')
    and published_weighted_score is not null
    and (
        gdp_weighted_score is null
        or abs(weighted_score_difference) > {{ var('mean_tolerance') }}
    )
