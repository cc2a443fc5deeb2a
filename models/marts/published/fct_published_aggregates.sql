with

aggregates as (
    select * from {{ ref('stg_published__aggregates') }}
),

final as (
    select
        printed_in_edition_id,
        framework_id,
        metric,
        subject_type,
        subject,
        value,
        unit,
        note,
        source_ref,
        row_number() over (
            order by framework_id, subject_type, subject, metric, source_ref
        ) as aggregate_key
    from aggregates
)

select * from final
