{#-
    Printed ranking rows with their table's framework and unit level, and the unit each
    printed name resolves to.
-#}
with

ranking_rows as (
    select * from {{ ref('stg_published__ranking_rows') }}
),

ranking_tables as (
    select * from {{ ref('stg_published__ranking_tables') }}
),

printed_names as (
    select * from {{ ref('int_unit_names') }}
    where name_kind = 'printed'
),

resolved as (
    select
        ranking_rows.table_id,
        ranking_tables.edition_id,
        ranking_tables.framework_id,
        ranking_tables.unit_level,
        ranking_tables.ranked_node_code,
        ranking_rows.row_order,
        ranking_rows.name_as_printed,
        printed_names.unit_id,
        ranking_rows.published_rank,
        ranking_rows.published_score,
        ranking_rows.source_ref
    from ranking_rows
    inner join ranking_tables
        on ranking_rows.table_id = ranking_tables.table_id
    left join printed_names
        on
            ranking_rows.name_as_printed = printed_names.name_key
            and ranking_tables.unit_level = printed_names.unit_level
)

select * from resolved
