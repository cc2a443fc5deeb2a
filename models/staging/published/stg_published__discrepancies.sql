with

source_rows as (
    {{ union_published_seeds('discrepancies') }}
),

renamed as (
    select
        discrepancy_id,
        edition_id,
        framework_id,
        table_id,
        check_name,
        explanation,
        source_ref,
        trim(subject) as subject
    from source_rows
)

select * from renamed
