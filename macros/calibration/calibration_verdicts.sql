{#-
    The calibration rule, stated once. A computed result reproduces a printed row when:
    - score: the composite rounded half-up to 1 decimal equals the printed score;
    - rank: the computed rank equals the printed rank; in a table with a recorded
      `score_rank_order` discrepancy (a score printed out of rank order) the printed scores are
      kept, so a rank equal to the one those scores imply is excused;
    - tier: the computed tier equals the printed tier; a unit named in a recorded
      `tier_threshold` discrepancy (printed in a tier its score does not reach) is excused.

    Callers: tests/singular/assert_sample_reproduces_published_results.sql (the dbt engine on the
    synthetic sample) and scripts/sample_generator/calibration_rule.py, which renders this file
    with plain Jinja and runs it in DuckDB (the generator's verification and the pytest on the
    committed sample). So: plain SQL, no ref() or other dbt context in here.

    Arguments are relation (or CTE) names:
    - computed: one row per printed row to check — framework_id, table_id, unit_id,
      name_as_printed, published_score, published_rank, published_tier (null when not printed),
      composite_score_rounded, composite_rank, tier_code;
    - printed_scores: every row of the score tables — table_id, unit_id, row_order,
      published_score, published_rank (for the rank the printed scores imply);
    - discrepancies: the recorded source discrepancies — framework_id, table_id, check_name,
      subject.
    Returns the computed rows plus implied_rank, score_verdict, rank_verdict, tier_verdict
    ('match', 'excused' or 'failed'; null when nothing is printed to compare) and failed_check
    (the first of 'score', 'rank', 'tier' that failed; null when the row reproduces).
-#}
{% macro calibration_verdicts(computed, printed_scores, discrepancies) %}
select
    *,
    case
        when score_verdict = 'failed' then 'score'
        when rank_verdict = 'failed' then 'rank'
        when tier_verdict = 'failed' then 'tier'
    end as failed_check
from (
    select
        checked.*,
        implied.implied_rank,
        case
            when checked.published_score is null then null
            when checked.composite_score_rounded = checked.published_score then 'match'
            else 'failed'
        end as score_verdict,
        case
            when checked.published_rank is null then null
            when checked.composite_rank = checked.published_rank then 'match'
            when
                checked.table_id in (
                    select rank_disputes.table_id from {{ discrepancies }} as rank_disputes
                    where rank_disputes.check_name = 'score_rank_order'
                )
                and checked.composite_rank = implied.implied_rank
                then 'excused'
            else 'failed'
        end as rank_verdict,
        case
            when checked.published_tier is null then null
            when coalesce(checked.tier_code, '') = checked.published_tier then 'match'
            when
                exists (
                    select 1 from {{ discrepancies }} as tier_disputes
                    where
                        tier_disputes.check_name = 'tier_threshold'
                        and tier_disputes.framework_id = checked.framework_id
                        and tier_disputes.subject = checked.name_as_printed
                )
                then 'excused'
            else 'failed'
        end as tier_verdict
    from {{ computed }} as checked
    left join (
        select
            table_id,
            unit_id,
            row_number() over (
                partition by table_id
                order by published_score desc, published_rank asc, row_order asc
            ) as implied_rank
        from {{ printed_scores }}
        where published_score is not null
    ) as implied
        on checked.table_id = implied.table_id and checked.unit_id = implied.unit_id
)
{% endmacro %}
