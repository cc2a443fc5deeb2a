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
        trim(subject) as subject,
        explanation,
        source_ref
    from source_rows
)

select * from renamed
