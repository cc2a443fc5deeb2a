{#-
    Within each partition, ranks must be exactly 1..N, each once (N = rows in the partition).
    Rows recorded in the source-discrepancy list under check `rank_sequence` for the same
    table are exempt: the test compares what the report printed, and the list says where the
    report itself breaks the rule.
    Args: partition_by — column naming the ranking (e.g. table_id).
    Complexity O(n log n): a sort per partition (row_number), no self-join.
-#}
{% test ranks_are_permutation(model, column_name, partition_by) %}
    with

    ranked as (
        select
            {{ partition_by }} as ranking_key,
            {{ column_name }} as rank_value,
            count(*) over (partition by {{ partition_by }}) as n_rows,
            row_number() over (
                partition by {{ partition_by }} order by {{ column_name }}
            ) as expected_rank
        from {{ model }}
    ),

    exempt_rankings as (
        select distinct table_id
        from {{ ref('stg_published__discrepancies') }}
        where check_name = 'rank_sequence'
    ),

    violations as (
        select ranked.*
        from ranked
        where
            (rank_value is null or rank_value <> expected_rank or rank_value > n_rows)
            and ranking_key not in (select exempt_rankings.table_id from exempt_rankings)
    )

    select * from violations
{% endtest %}
