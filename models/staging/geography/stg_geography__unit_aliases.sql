with

source_rows as (
    select * from {{ ref('unit_aliases') }}
),

renamed as (
    select
        unit_level,
        unit_id,
        resolution_method,
        trim(alias_zh) as alias_zh
    from source_rows
)

select * from renamed
