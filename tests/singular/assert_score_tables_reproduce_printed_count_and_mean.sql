{#-
    Each published score table's row count and mean must reproduce the count and average the
    report prints (a table-level figure, or the framework-level one when the framework scores a
    single table). The mean tolerance is var('mean_tolerance'): the report rounds to 0.1.
    Recorded discrepancies (table_count / table_mean) are exempt.
    Complexity O(printed rows): group bys over the transcribed tables.
-#}
with

published_results as (
    select * from {{ ref('fct_published_results') }}
),

aggregates as (
    select * from {{ ref('fct_published_aggregates') }}
),

discrepancies as (
    select * from {{ ref('stg_published__discrepancies') }}
),

table_stats as (
    select
        framework_id,
        table_id,
        count(*) as n_rows,
        avg(published_score) as mean_score
    from published_results
    where published_score is not null
    group by framework_id, table_id
),

tables_per_framework as (
    select
        framework_id,
        count(*) as n_score_tables
    from table_stats
    group by framework_id
),

printed as (
    select
        table_stats.table_id,
        aggregates.metric,
        aggregates.value as printed_value,
        aggregates.source_ref,
        case aggregates.metric
            when 'unit_count' then table_stats.n_rows
            when 'mean_score' then table_stats.mean_score
        end as computed_value
    from table_stats
    inner join tables_per_framework
        on table_stats.framework_id = tables_per_framework.framework_id
    inner join aggregates
        on
            table_stats.framework_id = aggregates.framework_id
            and aggregates.metric in ('unit_count', 'mean_score')
            and (
                (aggregates.subject_type = 'table' and table_stats.table_id = aggregates.subject)
                or (
                    aggregates.subject_type = 'framework'
                    and aggregates.subject = 'all'
                    and tables_per_framework.n_score_tables = 1
                )
            )
),

violations as (
    select printed.*
    from printed
    where
        abs(printed.computed_value - printed.printed_value)
        > case printed.metric when 'unit_count' then 0 else {{ var('mean_tolerance') }} end
        and not exists (
            select 1
            from discrepancies
            where
                discrepancies.table_id = printed.table_id
                and discrepancies.check_name
                = case printed.metric when 'unit_count' then 'table_count' else 'table_mean' end
        )
)

select * from violations
