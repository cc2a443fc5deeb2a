"""Reference implementation of the index engine (docs/engine.md) in plain Python.

Small and readable on purpose: the sample generator (scripts/generate_sample.py) uses it to verify
the synthetic sample it writes, and the tests use it to cross-check the dbt models. Every function
is pure: plain data structures / pandas in, new values out.

An independent oracle ON PURPOSE: it restates the engine's arithmetic (normalisation, roll-up,
rounding, ranks, tiers) in Python instead of calling the dbt macros, so that a mistake in one
implementation shows up as a disagreement with the other (test_dbt_engine_matches_reference_engine).
Do not "deduplicate" it against the SQL. (What counts as reproducing a printed row — the
calibration rule — is not engine arithmetic and is stated once, in
macros/calibration/calibration_verdicts.sql.)

Arithmetic decisions the dbt models must share (docs/engine.md leaves them implicit):
- normalisation applies the direction first; every method raises ValueError on a zero range
  (goalposts with L == U, minmax with max == min, zscore with sd == 0 or fewer than 2 values,
  percentile with fewer than 2 values, ordinal_map with K < 2);
- ordinal values must be integers 1..K and boolean values 0/1, else ValueError;
- zscore uses the sample sd (n - 1); percentile uses the competition ("min") rank of d*x
  ascending over the non-null values;
- a non-leaf node's score is sum(w*s)/sum(w) over the children that have a score, using the
  printed weights (not pre-multiplied effective weights), clamped to [0, 100]; no score when
  the share of the node's effective leaf weight that has values (its coverage) is below
  min_coverage (default 0.5); is_imputed when a leaf below it is missing;
- round_half_up(x, d) = floor(x * 10^d + 0.5 + 1e-9) / 10^d, as the dbt macro (64.95 -> 65.0);
- ranks: row_number over composite desc, unit_id asc, per framework x unit_level;
- tiers: min_score inclusive, max_score exclusive, a missing bound is open; the unrounded
  composite is compared.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence

import pandas as pd

METHODS = ("goalposts", "minmax", "zscore", "percentile", "ordinal_map", "boolean_map")


# --------------------------------------------------------------------------- normalisation
def _is_missing(x) -> bool:
    return x is None or (isinstance(x, float) and math.isnan(x))


def normalise(
    values: Sequence[float | None],
    method: str,
    direction: int = 1,
    goalpost_low: float | None = None,
    goalpost_high: float | None = None,
    ordinal_levels: int | None = None,
) -> list[float | None]:
    """Scores on 0-100 for one indicator's values over a framework's units (None stays None)."""
    if direction not in (1, -1):
        raise ValueError(f"direction must be 1 or -1, got {direction!r}")
    if method not in METHODS:
        raise ValueError(f"unknown normalisation method {method!r}")
    vals = [None if _is_missing(v) else float(v) for v in values]
    present = [v for v in vals if v is not None]
    d = direction

    if method == "goalposts":
        lo, hi = float(goalpost_low), float(goalpost_high)
        if hi == lo:
            raise ValueError("goalposts: zero range (goalpost_low == goalpost_high)")

        def f(x):
            t = (x - lo) / (hi - lo) if d == 1 else (hi - x) / (hi - lo)
            return 100.0 * min(max(t, 0.0), 1.0)

    elif method == "minmax":
        if not present:
            return [None] * len(vals)
        lo, hi = min(present), max(present)
        if hi == lo:
            raise ValueError("minmax: zero range (all values equal)")

        def f(x):
            return 100.0 * ((x - lo) if d == 1 else (hi - x)) / (hi - lo)

    elif method == "zscore":
        n = len(present)
        if n < 2:
            raise ValueError("zscore: fewer than 2 values")
        mean = sum(present) / n
        sd = math.sqrt(sum((v - mean) ** 2 for v in present) / (n - 1))
        if sd == 0:
            raise ValueError("zscore: zero standard deviation")

        def f(x):
            z = d * (x - mean) / sd
            return min(max(50.0 + 10.0 * z, 0.0), 100.0)

    elif method == "percentile":
        n = len(present)
        if n < 2:
            raise ValueError("percentile: fewer than 2 values (zero range)")
        keys = sorted(d * v for v in present)
        first = {}
        for i, k in enumerate(keys):
            first.setdefault(k, i + 1)  # competition ("min") rank

        def f(x):
            return 100.0 * (first[d * x] - 1) / (n - 1)

    elif method == "ordinal_map":
        k = int(ordinal_levels) if ordinal_levels is not None else 0
        if k < 2:
            raise ValueError("ordinal_map: needs K >= 2 levels (zero range)")

        def f(x):
            if x != int(x) or not 1 <= x <= k:
                raise ValueError(f"ordinal_map: value {x} not an integer in 1..{k}")
            return 100.0 * ((x - 1) if d == 1 else (k - x)) / (k - 1)

    else:  # boolean_map

        def f(x):
            if x not in (0.0, 1.0):
                raise ValueError(f"boolean_map: value {x} not 0/1")
            return 100.0 * (x if d == 1 else 1.0 - x)

    return [None if v is None else f(v) for v in vals]


def normalise_catalog_row(values: Sequence[float | None], row: Mapping) -> list[float | None]:
    """normalise() with the parameters of one indicator-catalog row."""

    def opt(key):
        v = row.get(key)
        return None if v is None or (isinstance(v, float) and math.isnan(v)) or v == "" else v

    return normalise(
        values,
        str(row["normalisation"]),
        int(row["direction"]),
        None if opt("goalpost_low") is None else float(opt("goalpost_low")),
        None if opt("goalpost_high") is None else float(opt("goalpost_high")),
        None if opt("ordinal_levels") is None else int(float(opt("ordinal_levels"))),
    )


# --------------------------------------------------------------------------- roll-up
def rollup(
    nodes: Iterable[Mapping],
    leaf_scores: Mapping[str, float | None],
    min_coverage: float = 0.5,
) -> dict[str, tuple[float | None, bool]]:
    """Scores of every node for one unit.

    nodes: dicts with node_code, parent_code (None for the root) and weight.
    leaf_scores: leaf node_code -> score (missing / None = no value).
    Returns node_code -> (score or None, is_imputed). A node's coverage is the share of its
    leaves' effective weight (product of weights down from the root) that has values; below
    min_coverage it has no score. Scores are clamped to [0, 100].
    """
    return {
        code: (score, imputed)
        for code, (score, imputed, _coverage) in rollup_with_coverage(
            nodes, leaf_scores, min_coverage
        ).items()
    }


def rollup_with_coverage(
    nodes: Iterable[Mapping],
    leaf_scores: Mapping[str, float | None],
    min_coverage: float = 0.5,
) -> dict[str, tuple[float | None, bool, float]]:
    """rollup(), with each node's coverage: node_code -> (score, is_imputed, coverage)."""
    nodes = list(nodes)
    children: dict[str, list[Mapping]] = {}
    for n in nodes:
        p = n.get("parent_code")
        if not _is_missing(p):
            children.setdefault(p, []).append(n)
    out: dict[str, tuple[float | None, bool, float, float, float]] = {}

    def score(code: str, effective: float) -> tuple[float | None, bool, float, float, float]:
        """(score, imputed, coverage, covered leaf weight, leaf weight) of a node."""
        kids = children.get(code)
        if not kids:
            s = leaf_scores.get(code)
            present = not _is_missing(s)
            res = (
                float(s) if present else None,
                not present,
                float(present),
                effective if present else 0.0,
                effective,
            )
        else:
            num = den = covered = total = 0.0
            imputed = False
            for k in kids:
                s, imp, _cov, cov_w, leaf_w = score(k["node_code"], effective * float(k["weight"]))
                imputed = imputed or imp
                covered += cov_w
                total += leaf_w
                if s is None:
                    continue
                num += float(k["weight"]) * s
                den += float(k["weight"])
            coverage = covered / total if total else 0.0
            if den == 0 or coverage < min_coverage - 1e-12:
                res = (None, imputed, coverage, covered, total)
            else:
                res = (min(max(num / den, 0.0), 100.0), imputed, coverage, covered, total)
        out[code] = res
        return res

    for n in nodes:
        if _is_missing(n.get("parent_code")):
            score(n["node_code"], float(n["weight"]))
    return {code: (s, imp, cov) for code, (s, imp, cov, _c, _t) in out.items()}


def score_framework(
    raw: pd.DataFrame,
    catalog: pd.DataFrame,
    nodes: pd.DataFrame,
    min_coverage: float = 0.5,
) -> pd.DataFrame:
    """Node scores of every unit of one framework.

    raw: columns unit, node_code, value (one row per unit x leaf present).
    catalog: indicator catalog rows for the framework's leaves.
    nodes: columns node_code, parent_code, weight.
    Returns columns unit, node_code, score, is_imputed.
    """
    units = sorted(raw["unit"].unique())
    cat = {r["node_code"]: r for r in catalog.to_dict("records")}
    leaf_scores: dict[str, dict[str, float | None]] = {u: {} for u in units}
    for leaf, grp in raw.groupby("node_code", sort=True):
        if leaf not in cat:
            raise ValueError(f"node_code {leaf!r} is not in the catalog")
        vals = [float(v) for v in grp["value"]]
        for u, s in zip(grp["unit"], normalise_catalog_row(vals, cat[leaf]), strict=True):
            leaf_scores[u][leaf] = s
    node_rows = nodes[["node_code", "parent_code", "weight"]].to_dict("records")
    rows = []
    for u in units:
        for code, (s, imp) in rollup(node_rows, leaf_scores[u], min_coverage).items():
            rows.append({"unit": u, "node_code": code, "score": s, "is_imputed": imp})
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------- ranks, rounding, tiers
def round_half_up(x: float | None, ndigits: int = 1) -> float | None:
    """Round half up, exactly as the dbt macro round_half_up: floor(x * 10^d + 0.5 + 1e-9) / 10^d
    (the 1e-9 absorbs binary error, so 64.95, stored as 64.9499..., rounds to 65.0)."""
    if _is_missing(x):
        return None
    f = 10**ndigits
    return math.floor(float(x) * f + 0.5 + 1e-9) / f


def rank_units(df: pd.DataFrame, score_col: str = "composite") -> pd.Series:
    """row_number() over (partition by framework_id, unit_level order by score desc, unit_id asc).

    df needs unit_id and score_col; framework_id / unit_level are used when present.
    """
    keys = [c for c in ("framework_id", "unit_level") if c in df.columns]
    ordered = df.sort_values(
        keys + [score_col, "unit_id"],
        ascending=[True] * len(keys) + [False, True],
        kind="mergesort",
    )
    if keys:
        ranks = ordered.groupby(keys, sort=False).cumcount() + 1
    else:
        ranks = pd.Series(range(1, len(ordered) + 1), index=ordered.index)
    return ranks.reindex(df.index)


def tier_for(score: float | None, rules: Iterable[Mapping]) -> str | None:
    """The tier_code whose [min_score_inclusive, max_score_exclusive) contains score."""
    if _is_missing(score):
        return None
    for r in rules:
        lo, hi = r.get("min_score_inclusive"), r.get("max_score_exclusive")
        if (_is_missing(lo) or score >= float(lo)) and (_is_missing(hi) or score < float(hi)):
            return r["tier_code"]
    return None
