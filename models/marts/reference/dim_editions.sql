with

editions as (
    select * from {{ ref('stg_reference__editions') }}
),

frameworks as (
    select * from {{ ref('int_frameworks_summarised') }}
),

framework_counts as (
    select
        edition_id,
        count(*) as n_frameworks,
        sum(n_units_ranked) as n_units_ranked,
        bool_or(weights_published) as has_published_weights,
        bool_or(scores_published) as has_published_scores,
        string_agg(framework_id || ': ' || tier_rule, ' | ') as tier_rules
    from frameworks
    group by edition_id
),

final as (
    select
        editions.*,
        framework_counts.n_frameworks,
        framework_counts.n_units_ranked,
        framework_counts.has_published_weights,
        framework_counts.has_published_scores,
        framework_counts.tier_rules
    from editions
    left join framework_counts
        on editions.edition_id = framework_counts.edition_id
)

select * from final
