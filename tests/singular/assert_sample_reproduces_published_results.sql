{#-
    The calibrated synthetic sample reproduces what the reports publish, unit by unit:
    - the composite rounded half-up to 1 decimal equals the printed score;
    - the computed rank equals the printed rank — except in tables where the report prints a
      score out of rank order (recorded `score_rank_order` discrepancies): there the printed
      scores are kept, so the rank must equal the rank those scores imply;
    - the computed tier equals the printed tier, except recorded `tier_threshold` discrepancies.
    Only synthetic units are held to this: a research team's own values are not expected to
    reproduce the reports (fct_index_scores shows the differences).
    Complexity O(n log n) in units: one sort per ranking table (row_number), then hash joins.
-#}
with

index_scores as (
    select * from {{ ref('fct_index_scores') }}
    where is_synthetic and published_rank is not null
),

discrepancies as (
    select * from {{ ref('stg_published__discrepancies') }}
),

published_results as (
    select * from {{ ref('fct_published_results') }}
    where ranked_node_code = 'root'
),

disputed_rank_tables as (
    select distinct table_id
    from discrepancies
    where check_name = 'score_rank_order'
),

disputed_tiers as (
    select distinct
        framework_id,
        subject as name_as_printed
    from discrepancies
    where check_name = 'tier_threshold'
),

rank_implied_by_scores as (
    select
        table_id,
        unit_id,
        row_number() over (
            partition by table_id order by published_score desc, published_rank asc
        ) as implied_rank
    from published_results
    where published_score is not null
),

compared as (
    select
        index_scores.*,
        disputed_tiers.framework_id is not null as is_tier_disputed,
        coalesce(
            case
                when
                    disputed_rank_tables.table_id is not null
                    then rank_implied_by_scores.implied_rank
            end,
            index_scores.published_rank
        ) as expected_rank
    from index_scores
    left join rank_implied_by_scores
        on
            index_scores.published_table_id = rank_implied_by_scores.table_id
            and index_scores.unit_id = rank_implied_by_scores.unit_id
    left join disputed_rank_tables
        on index_scores.published_table_id = disputed_rank_tables.table_id
    left join disputed_tiers
        on
            index_scores.framework_id = disputed_tiers.framework_id
            and index_scores.name_as_printed = disputed_tiers.name_as_printed
),

failures as (
    select
        *,
        case
            when
                published_score is not null and composite_score_rounded != published_score
                then 'score'
            when composite_rank != expected_rank then 'rank'
            when
                published_tier is not null
                and not is_tier_disputed
                and coalesce(tier_code, '') != published_tier
                then 'tier'
        end as failed_check
    from compared
)

select * from failures
where failed_check is not null
