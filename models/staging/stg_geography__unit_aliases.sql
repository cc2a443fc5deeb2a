with

source_rows as (
    select * from {{ ref('unit_aliases') }}
),

renamed as (
    select
        unit_level,
        trim(alias_zh) as alias_zh,
        unit_id,
        resolution_method
    from source_rows
)

select * from renamed
