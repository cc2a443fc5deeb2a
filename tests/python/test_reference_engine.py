"""Hand-computed cases for scripts/reference_engine.py (the Python twin of docs/engine.md)."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
import reference_engine as ref  # noqa: E402


def approx(xs):
    return [None if x is None else pytest.approx(x, abs=1e-9) for x in xs]


# ----------------------------------------------------------------------------- normalisation
def test_goalposts_direction_and_clipping():
    # L=10, U=60: 35 -> 50; 5 clips to 0; 70 clips to 100
    assert ref.normalise([35, 5, 70, None], "goalposts", 1, 10, 60) == approx(
        [50.0, 0.0, 100.0, None]
    )
    # direction -1: 100 * (U - x)/(U - L): 20 -> 80; 70 clips to 0; 5 clips to 100
    assert ref.normalise([20, 70, 5], "goalposts", -1, 10, 60) == approx([80.0, 0.0, 100.0])


def test_goalposts_zero_range():
    with pytest.raises(ValueError):
        ref.normalise([1, 2], "goalposts", 1, 5, 5)


def test_minmax():
    assert ref.normalise([2, 4, 10, None], "minmax", 1) == approx([0.0, 25.0, 100.0, None])
    assert ref.normalise([2, 4, 10], "minmax", -1) == approx([100.0, 75.0, 0.0])
    with pytest.raises(ValueError):
        ref.normalise([3, 3, None], "minmax", 1)


def test_zscore_sample_sd_and_clip():
    # values 1,2,3: mean 2, sample sd 1 -> z = -1, 0, 1 -> 40, 50, 60
    assert ref.normalise([1, 2, 3], "zscore", 1) == approx([40.0, 50.0, 60.0])
    assert ref.normalise([1, 2, 3], "zscore", -1) == approx([60.0, 50.0, 40.0])
    # 0 x 9 and 100: mean 10, sd = sqrt((9*100 + 8100)/9) = sqrt(1000) = 31.62..;
    # z(100) = 2.846 -> 78.46
    out = ref.normalise([0] * 9 + [100], "zscore", 1)
    assert out[-1] == pytest.approx(50 + 10 * 90 / 1000**0.5)
    # clipping: z = +6 would give 110 -> 100
    many = [0.0] * 99 + [1.0]
    assert ref.normalise(many, "zscore", 1)[-1] == 100.0
    with pytest.raises(ValueError):
        ref.normalise([5, 5, 5], "zscore", 1)


def test_percentile_competition_rank():
    # d*x ascending: 10 (rank 1), 20, 20 (rank 2 each, "min"), 40 (rank 4); n = 4
    assert ref.normalise([20, 10, 40, 20, None], "percentile", 1) == approx(
        [100 / 3, 0.0, 100.0, 100 / 3, None]
    )
    # direction -1: ranks of -x: -40 (1), -20 (2), -20 (2), -10 (4)
    assert ref.normalise([20, 10, 40, 20], "percentile", -1) == approx(
        [100 / 3, 100.0, 0.0, 100 / 3]
    )
    with pytest.raises(ValueError):
        ref.normalise([7, None], "percentile", 1)


def test_ordinal_map():
    assert ref.normalise([1, 3, 5], "ordinal_map", 1, ordinal_levels=5) == approx(
        [0.0, 50.0, 100.0]
    )
    assert ref.normalise([1, 2, 5], "ordinal_map", -1, ordinal_levels=5) == approx(
        [100.0, 75.0, 0.0]
    )
    with pytest.raises(ValueError):
        ref.normalise([6], "ordinal_map", 1, ordinal_levels=5)
    with pytest.raises(ValueError):
        ref.normalise([1], "ordinal_map", 1, ordinal_levels=1)


def test_boolean_map():
    assert ref.normalise([0, 1], "boolean_map", 1) == approx([0.0, 100.0])
    assert ref.normalise([0, 1], "boolean_map", -1) == approx([100.0, 0.0])
    with pytest.raises(ValueError):
        ref.normalise([0.5], "boolean_map", 1)


def test_catalog_row():
    row = {
        "normalisation": "goalposts",
        "direction": -1,
        "goalpost_low": 0,
        "goalpost_high": 200,
        "ordinal_levels": float("nan"),
    }
    assert ref.normalise_catalog_row([50], row) == approx([75.0])


# ----------------------------------------------------------------------------- roll-up
NODES = [
    {"node_code": "root", "parent_code": None, "weight": 1.0},
    {"node_code": "p1", "parent_code": "root", "weight": 0.4},
    {"node_code": "p1_1", "parent_code": "p1", "weight": 0.5},
    {"node_code": "p1_2", "parent_code": "p1", "weight": 0.3},
    {"node_code": "p1_3", "parent_code": "p1", "weight": 0.2},
    {"node_code": "p2", "parent_code": "root", "weight": 0.6},
    {"node_code": "p2_1", "parent_code": "p2", "weight": 1.0},
]


def test_rollup_complete():
    out = ref.rollup(NODES, {"p1_1": 80, "p1_2": 60, "p1_3": 40, "p2_1": 50})
    # p1 = .5*80 + .3*60 + .2*40 = 66; root = .4*66 + .6*50 = 56.4
    assert out["p1"] == (pytest.approx(66.0), False)
    assert out["root"] == (pytest.approx(56.4), False)


def test_rollup_missing_child_renormalises():
    out = ref.rollup(NODES, {"p1_1": 80, "p1_2": 60, "p2_1": 50})
    # p1 = (.5*80 + .3*60)/.8 = 72.5, imputed; root = .4*72.5 + .6*50 = 59
    assert out["p1"] == (pytest.approx(72.5), True)
    assert out["root"] == (pytest.approx(59.0), True)


def test_rollup_min_coverage():
    out = ref.rollup(NODES, {"p1_3": 40, "p2_1": 50}, min_coverage=0.5)
    assert out["p1"][0] is None  # 0.2 of the weight < 0.5
    assert out["root"] == (pytest.approx(50.0), True)


def test_rollup_coverage_counts_leaf_weight_not_scored_children():
    nodes = [
        {"node_code": "root", "parent_code": None, "weight": 1.0},
        {"node_code": "p1", "parent_code": "root", "weight": 0.6},
        {"node_code": "p1_1", "parent_code": "p1", "weight": 0.5},
        {"node_code": "p1_2", "parent_code": "p1", "weight": 0.5},
        {"node_code": "p2", "parent_code": "root", "weight": 0.4},
    ]
    out = ref.rollup_with_coverage(nodes, {"p1_1": 80}, min_coverage=0.5)
    # p1 has half its leaf weight (0.5 >= 0.5): scored 80. The root's leaves with values carry
    # 0.3 of the composite: not scored, although its only child with leaves (p1, weight 0.6) is.
    assert out["p1"] == (pytest.approx(80.0), True, pytest.approx(0.5))
    assert out["root"] == (None, True, pytest.approx(0.3))


def test_rollup_clamps_to_100():
    # (0.1·100 + 0.35·100) / (0.1 + 0.35) is 100.00000000000001 in doubles.
    nodes = [
        {"node_code": "root", "parent_code": None, "weight": 1.0},
        {"node_code": "a", "parent_code": "root", "weight": 0.1},
        {"node_code": "b", "parent_code": "root", "weight": 0.35},
    ]
    assert ref.rollup(nodes, {"a": 100.0, "b": 100.0})["root"][0] == 100.0


def test_score_framework():
    raw = pd.DataFrame(
        {
            "unit": ["a", "a", "a", "a", "b", "b", "b", "b"],
            "node_code": ["p1_1", "p1_2", "p1_3", "p2_1"] * 2,
            "value": [50, 1, 0, 10, 100, 0, 1, 0],
        }
    )
    cat = pd.DataFrame(
        {
            "node_code": ["p1_1", "p1_2", "p1_3", "p2_1"],
            "normalisation": ["goalposts", "boolean_map", "boolean_map", "minmax"],
            "direction": [1, 1, -1, 1],
            "goalpost_low": [0, None, None, None],
            "goalpost_high": [100, None, None, None],
            "ordinal_levels": [None] * 4,
        }
    )
    sc = ref.score_framework(raw, cat, pd.DataFrame(NODES))
    root = sc[sc.node_code == "root"].set_index("unit").score
    # a: p1 = .5*50 + .3*100 + .2*100 = 75; p2 = 100 -> 30 + 60 = 90
    # b: p1 = .5*100 + 0 + 0 = 50; p2 = 0 -> 20
    assert root["a"] == pytest.approx(90.0)
    assert root["b"] == pytest.approx(20.0)


# ------------------------------------------------------------------------- ranks, rounding, tiers
def test_rank_tie_breaking_by_unit_id():
    df = pd.DataFrame(
        {
            "framework_id": ["f"] * 4 + ["g"],
            "unit_level": ["city"] * 3 + ["county", "city"],
            "unit_id": ["cn_b", "cn_a", "cn_c", "cn_d", "cn_e"],
            "composite": [70.0, 70.0, 80.0, 10.0, 5.0],
        }
    )
    assert list(ref.rank_units(df)) == [3, 2, 1, 1, 1]


def test_round_half_up():
    assert ref.round_half_up(64.95, 1) == 65.0
    assert ref.round_half_up(64.94999, 1) == 64.9
    assert ref.round_half_up(0.15, 1) == 0.2
    assert ref.round_half_up(92.45, 1) == 92.5
    assert ref.round_half_up(40.0, 1) == 40.0
    assert ref.round_half_up(None) is None


RULES = [
    {"tier_code": "tier_1", "min_score_inclusive": 85.0, "max_score_exclusive": None},
    {"tier_code": "new_tier_1", "min_score_inclusive": 65.0, "max_score_exclusive": 85.0},
    {"tier_code": "tier_2", "min_score_inclusive": 50.0, "max_score_exclusive": 65.0},
    {"tier_code": "tier_4", "min_score_inclusive": float("nan"), "max_score_exclusive": 40.0},
]


def test_tier_boundaries():
    assert ref.tier_for(65.0, RULES) == "new_tier_1"
    assert ref.tier_for(64.9999, RULES) == "tier_2"
    assert ref.tier_for(85.0, RULES) == "tier_1"
    assert ref.tier_for(12.0, RULES) == "tier_4"
    assert ref.tier_for(45.0, RULES) is None
