with

aggregates as (
    select * from {{ ref('stg_published__aggregates') }}
),

final as (
    select
        row_number() over (
            order by framework_id, subject_type, subject, metric, source_ref
        ) as aggregate_key,
        printed_in_edition_id,
        framework_id,
        metric,
        subject_type,
        subject,
        value,
        unit,
        note,
        source_ref
    from aggregates
)

select * from final
