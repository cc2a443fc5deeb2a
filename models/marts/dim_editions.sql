with

editions as (
    select * from {{ ref('stg_reference__editions') }}
),

frameworks as (
    select * from {{ ref('stg_reference__frameworks') }}
),

framework_counts as (
    select
        edition_id,
        count(*) as n_frameworks
    from frameworks
    group by edition_id
),

final as (
    select
        editions.*,
        framework_counts.n_frameworks
    from editions
    left join framework_counts
        on editions.edition_id = framework_counts.edition_id
)

select * from final
