{#-
    Within each partition, a row's score must not exceed the score of the row ranked above it.
    Nulls are skipped (rank-only tables). Rows listed in the source-discrepancy list under
    check `score_rank_order` (same table, subject = name as printed) are exempt.
    Args: rank_column, partition_by, name_column (matched against the discrepancy subject),
          tolerance (default 0: an increase up to it is accepted, for ranks that treat scores
          equal to 1e-9 as ties).
    Complexity O(n log n): a lag() over the rank order per partition.
-#}
{% test scores_not_increasing_with_rank(model, column_name, rank_column, partition_by, name_column, tolerance=0) %}
    with

    ordered as (
        select
            {{ partition_by }} as ranking_key,
            {{ name_column }} as subject,
            {{ rank_column }} as rank_value,
            {{ column_name }} as score,
            lag({{ column_name }}) over (
                partition by {{ partition_by }} order by {{ rank_column }}
            ) as score_above
        from {{ model }}
        where {{ column_name }} is not null
    ),

    exemptions as (
        select table_id, subject
        from {{ ref('stg_published__discrepancies') }}
        where check_name = 'score_rank_order'
    ),

    violations as (
        select ordered.*
        from ordered
        left join exemptions
            on
                ordered.ranking_key = exemptions.table_id
                and ordered.subject = exemptions.subject
        where
            ordered.score > ordered.score_above + {{ tolerance }}
            and exemptions.subject is null
    )

    select * from violations
{% endtest %}
