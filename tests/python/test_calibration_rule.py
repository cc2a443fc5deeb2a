"""The calibration rule (macros/calibration/calibration_verdicts.sql), fed hand-written rows.

The same SQL judges the dbt engine (tests/singular/assert_sample_reproduces_published_results.sql),
the generator's verification and the committed sample (test_generate_sample.py); here each clause
is shown to fail, and to excuse exactly what a recorded discrepancy names.
"""

from __future__ import annotations

import sys
from pathlib import Path
from types import SimpleNamespace

import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
import reference_engine as ref  # noqa: E402
from sample_generator.calibration_rule import calibration_verdicts  # noqa: E402
from sample_generator.verification import Report, report_row_verdicts  # noqa: E402

NO_DISCREPANCIES = pd.DataFrame(columns=["framework_id", "table_id", "check_name", "subject"])


def printed(table_id, unit_id, name, score, rank, tier=None, row_order=None):
    return {
        "framework_id": table_id.split("__")[0] + "__city",
        "table_id": table_id,
        "unit_id": unit_id,
        "name_as_printed": name,
        "row_order": row_order if row_order is not None else rank,
        "published_score": score,
        "published_rank": rank,
        "published_tier": tier,
    }


def judge(rows, computed, discrepancies=NO_DISCREPANCIES):
    """rows: printed rows; computed: (unrounded composite, rank, tier) per row."""
    table = pd.DataFrame(rows)
    judged = table.assign(
        composite_score_rounded=[ref.round_half_up(c, 1) for c, _, _ in computed],
        composite_rank=[r for _, r, _ in computed],
        tier_code=[t for _, _, t in computed],
    )
    return calibration_verdicts(judged, table, discrepancies)


def column(verdicts: pd.DataFrame, name: str) -> list:
    """A verdict column as a list, SQL null as None."""
    return [None if pd.isna(v) else v for v in verdicts[name]]


def discrepancy(table_id, check_name, subject=None):
    return pd.DataFrame(
        [
            {
                "framework_id": table_id.split("__")[0] + "__city",
                "table_id": table_id,
                "check_name": check_name,
                "subject": subject,
            }
        ]
    )


def test_score_off_by_rounding_fails():
    rows = [printed("x2020__t", "a", "甲市", 65.0, 1), printed("x2020__t", "b", "乙市", 64.9, 2)]
    # 64.95 rounds half-up to the printed 65.0; 64.849 rounds to 64.8 against a printed 64.9
    verdicts = judge(rows, [(64.95, 1, None), (64.849, 2, None)])
    assert column(verdicts, "score_verdict") == ["match", "failed"]
    assert column(verdicts, "failed_check") == [None, "score"]


def test_score_failure_reported_before_rank_and_tier():
    rows = [printed("x2020__t", "a", "甲市", 70.0, 1, tier="tier_1")]
    verdicts = judge(rows, [(69.94, 2, "tier_2")])
    assert verdicts.loc[0, ["score_verdict", "rank_verdict", "tier_verdict"]].tolist() == [
        "failed",
        "failed",
        "failed",
    ]
    assert verdicts.loc[0, "failed_check"] == "score"


# A table printing 乙市 (80.3) below 甲市 (80.1): the scores imply 乙 1st, 甲 2nd.
OUT_OF_ORDER = [
    printed("x2020__t", "a", "甲市", 80.1, 1),
    printed("x2020__t", "b", "乙市", 80.3, 2),
    printed("x2020__t", "c", "丙市", 70.0, 3),
]
RANKED_BY_SCORE = [(80.12, 2, None), (80.31, 1, None), (70.01, 3, None)]


def test_rank_differing_without_a_recorded_discrepancy_fails():
    verdicts = judge(OUT_OF_ORDER, RANKED_BY_SCORE)
    assert column(verdicts, "rank_verdict") == ["failed", "failed", "match"]
    assert column(verdicts, "failed_check") == ["rank", "rank", None]
    assert column(verdicts, "implied_rank") == [2, 1, 3]


def test_rank_differing_with_a_recorded_discrepancy_is_excused():
    verdicts = judge(OUT_OF_ORDER, RANKED_BY_SCORE, discrepancy("x2020__t", "score_rank_order"))
    assert column(verdicts, "rank_verdict") == ["excused", "excused", "match"]
    assert verdicts.failed_check.isna().all()


def test_recorded_rank_discrepancy_excuses_only_the_rank_the_scores_imply():
    # 丙 ranked 2nd: neither its printed rank (3) nor the one its score implies (3)
    computed = [(80.12, 3, None), (80.31, 1, None), (70.01, 2, None)]
    verdicts = judge(OUT_OF_ORDER, computed, discrepancy("x2020__t", "score_rank_order"))
    assert column(verdicts, "rank_verdict") == ["failed", "excused", "failed"]


def test_rank_discrepancy_of_another_table_excuses_nothing():
    verdicts = judge(OUT_OF_ORDER, RANKED_BY_SCORE, discrepancy("x2020__other", "score_rank_order"))
    assert column(verdicts, "failed_check") == ["rank", "rank", None]


# 64.96 is printed in 新一线 (tier_2, >= 65.0 in this edition) although it rounds to 65.0: the
# unrounded composite is compared with the threshold, so it computes to tier_3.
AT_THRESHOLD = [
    printed("x2020__t", "a", "甲市", 65.0, 1, tier="tier_2"),
    printed("x2020__t", "b", "乙市", 65.0, 2, tier="tier_2"),
]
TIER_RULES = [
    {"tier_code": "tier_2", "min_score_inclusive": 65.0, "max_score_exclusive": 80.0},
    {"tier_code": "tier_3", "min_score_inclusive": 50.0, "max_score_exclusive": 65.0},
]


def below_threshold():
    return [(c, r, ref.tier_for(c, TIER_RULES)) for c, r in ((64.98, 1), (64.96, 2))]


def test_tier_differing_at_a_threshold_fails():
    assert [t for _, _, t in below_threshold()] == ["tier_3", "tier_3"]
    verdicts = judge(AT_THRESHOLD, below_threshold())
    assert column(verdicts, "score_verdict") == ["match", "match"]
    assert column(verdicts, "tier_verdict") == ["failed", "failed"]
    assert column(verdicts, "failed_check") == ["tier", "tier"]


def test_tier_threshold_discrepancy_excuses_the_unit_it_names_only():
    verdicts = judge(
        AT_THRESHOLD, below_threshold(), discrepancy("x2020__t", "tier_threshold", "乙市")
    )
    assert column(verdicts, "tier_verdict") == ["failed", "excused"]
    assert column(verdicts, "failed_check") == ["tier", None]


def test_tier_threshold_discrepancy_of_another_framework_excuses_nothing():
    other = discrepancy("y2021__t", "tier_threshold", "乙市")
    verdicts = judge(AT_THRESHOLD, below_threshold(), other)
    assert column(verdicts, "failed_check") == ["tier", "tier"]


def test_nothing_printed_nothing_judged():
    rows = [printed("x2020__t", "a", "甲市", None, 1)]
    verdicts = judge(rows, [(55.0, 1, "tier_3")])
    assert column(verdicts, "score_verdict") == [None]
    assert column(verdicts, "tier_verdict") == [None]
    assert column(verdicts, "rank_verdict") == ["match"]


def test_generator_report_messages():
    """The generator's calibration report words each verdict (data/sample/README.md)."""
    verdicts = judge(
        OUT_OF_ORDER + [printed("x2020__t", "d", "丁市", 64.0, 4, tier="tier_2")],
        RANKED_BY_SCORE + [(63.949, 4, "tier_3")],
        discrepancy("x2020__t", "score_rank_order"),
    )
    report = Report("x2020__city")
    composite = dict(zip(verdicts.unit_id, [80.12, 80.31, 70.01, 63.949], strict=True))
    counts = report_row_verdicts(
        SimpleNamespace(tier_rules=TIER_RULES), verdicts, composite, report
    )
    assert report.excused == [
        "乙市: rank 1 vs printed 2 — printed score kept (score_rank_order discrepancy)",
        "甲市: rank 2 vs printed 1 — printed score kept (score_rank_order discrepancy)",
    ]
    assert report.failures == [
        "丁市 (d): composite 63.9490 does not round to 64.0",
        "丁市: tier tier_3 vs printed tier_2",
    ]
    assert counts == {"score": 3, "rank": 2, "tier": 0, "tiers_printed": 1}
