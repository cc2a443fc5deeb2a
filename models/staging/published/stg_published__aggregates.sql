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
        value,
        unit,
        note,
        source_ref,
        trim(subject) as subject
    from source_rows
)

select * from renamed
