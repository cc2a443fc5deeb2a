with

source_rows as (
    {{ union_published_seeds('aggregates') }}
),

renamed as (
    select
        edition_id as printed_in_edition_id,
        framework_id,
        metric,
        subject_type,
        trim(subject) as subject,
        value,
        unit,
        note,
        source_ref
    from source_rows
)

select * from renamed
