{#-
    One row per framework × pillar (level-1 node): nominal weight beside the pillar's actual
    influence on the nominal composite across units — nominal weight ≠ influence (METHODOLOGY.md
    "Pitfalls"). `effective_weight` = w · cov(pillar, composite) / var(composite): the share of
    the composite's variance across units the pillar carries (these sum to 1 for an arithmetic
    root with every pillar scored). `pearson_correlation` is Pearson's r of pillar and composite;
    `correlation_share` = r² / Σ r² over the framework's pillars.
-#}
with

node_scores as (
    select * from {{ ref('int_node_scores_ranked') }}
),

pillars as (
    select * from {{ ref('int_framework_nodes_weighted') }}
    where node_level = 1
),

paired as (
    select
        pillar_scores.framework_id,
        pillar_scores.node_code,
        pillar_scores.score_0_100 as pillar_score,
        composites.score_0_100 as composite_score,
        pillar_scores.is_synthetic
    from node_scores as pillar_scores
    inner join node_scores as composites
        on
            pillar_scores.framework_id = composites.framework_id
            and pillar_scores.unit_id = composites.unit_id
            and composites.node_code = 'root'
    where
        pillar_scores.node_level = 1
        and pillar_scores.score_0_100 is not null
        and composites.score_0_100 is not null
),

pillar_statistics as (
    select
        framework_id,
        node_code,
        count(*) as n_units,
        avg(pillar_score) as pillar_mean,
        stddev_samp(pillar_score) as pillar_sd,
        corr(pillar_score, composite_score) as pearson_correlation,
        covar_samp(pillar_score, composite_score) / nullif(var_samp(composite_score), 0)
            as regression_slope,
        bool_or(is_synthetic) as is_synthetic
    from paired
    group by framework_id, node_code
),

final as (
    select
        pillars.framework_id,
        pillars.node_code,
        pillars.name_zh,
        pillars.name_en,
        pillars.weight as nominal_weight,
        pillar_statistics.pearson_correlation,
        pillar_statistics.n_units,
        pillar_statistics.pillar_mean,
        pillar_statistics.pillar_sd,
        pillar_statistics.is_synthetic,
        pillars.framework_id || ':' || pillars.node_code as weight_influence_id,
        pillars.weight * pillar_statistics.regression_slope as effective_weight,
        power(pillar_statistics.pearson_correlation, 2)
        / sum(power(pillar_statistics.pearson_correlation, 2))
            over (partition by pillars.framework_id)
            as correlation_share
    from pillars
    inner join pillar_statistics
        on
            pillars.framework_id = pillar_statistics.framework_id
            and pillars.node_code = pillar_statistics.node_code
)

select * from final
