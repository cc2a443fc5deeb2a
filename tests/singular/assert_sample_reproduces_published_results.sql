{#-
    The calibrated synthetic sample reproduces what the reports publish, unit by unit: printed
    score, rank and tier, by the calibration rule (macros/calibration/calibration_verdicts.sql,
    which also states the recorded discrepancies it excuses).
    Only synthetic units are held to this: a research team's own values are not expected to
    reproduce the reports (fct_index_scores shows the differences).
    Complexity O(n log n) in units: one sort per ranking table (row_number), then hash joins.
-#}
with

index_scores as (
    select
        *,
        published_table_id as table_id
    from {{ ref('fct_index_scores') }}
    where is_synthetic and published_rank is not null
),

discrepancies as (
    select * from {{ ref('stg_published__discrepancies') }}
),

published_results as (
    select * from {{ ref('fct_published_results') }}
    where ranked_node_code = 'root'
),

verdicts as (
    {{ calibration_verdicts('index_scores', 'published_results', 'discrepancies') }}
)

select * from verdicts
where failed_check is not null
