"""Step 4, value shaping: leaf scores -> raw values in the catalog's units, written with a fixed
number of decimals per unit.

Leaves are rounded one at a time, coarsest score step first, and after each one the still
unrounded leaves of every unit re-absorb the rounding (calibration.project), so composites (and
pinned pillar scores) stay on target. A goalposts score pinned at 0 or 100 may be written beyond
the goalpost (the engine clips it back), noted in the row.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import reference_engine as ref

from .calibration import project
from .inputs import Framework
from .leaf_scores import LeafScores

BEYOND_GOALPOST = "beyond goalpost (clips)"

# natural number of decimals per catalog unit (counts are whole, money in whole yuan, ...)
NATURAL_DECIMALS = {
    "count": 0,
    "yuan_per_capita": 0,
    "minutes": 0,
    "level_1_5": 0,
    "yes_no": 0,
    "days": 1,
    "hours": 1,
    "gb_per_month": 1,
    "index_0_100": 1,
    "index_points": 1,
    "per_100_residents": 1,
    "per_1m_residents": 1,
    "percent": 2,
    "percentage_points": 2,
    "per_10k_residents": 2,
    "pieces_per_capita": 2,
    "level_0_8": 2,
    "100m_yuan": 2,
    "ratio": 3,
    "tce_per_10k_yuan": 3,
}


def decimals_for_unit(catalogs: list[pd.DataFrame]) -> dict[str, int]:
    """Fixed number of decimals per catalog unit: NATURAL_DECIMALS, else 0 for discrete units and
    enough for a 0.01 score step on the narrowest goalpost range using the unit."""
    span: dict[str, float] = {}
    for catalog in catalogs:
        for row in catalog.to_dict("records"):
            unit = str(row["unit"])
            span[unit] = min(span.get(unit, math.inf), score_span(row))
    out: dict[str, int] = {}
    for unit in sorted(span):
        if unit in NATURAL_DECIMALS:
            out[unit] = NATURAL_DECIMALS[unit]
        elif math.isinf(span[unit]):
            out[unit] = 0
        else:
            out[unit] = int(min(6, max(0, math.ceil(math.log10(100 / (span[unit] * 0.01))))))
    return out


def score_span(row) -> float:
    """Raw range one leaf's 0..100 scores spread over (inf for discrete leaves)."""
    if row["normalisation"] in ("ordinal_map", "boolean_map"):
        return math.inf
    if row["normalisation"] == "goalposts":
        return abs(float(row["goalpost_high"]) - float(row["goalpost_low"]))
    return 0.4 * (float(row["plausible_max"]) - float(row["plausible_min"]))


def fmt(x: float, dec: int) -> str:
    s = f"{x:.{dec}f}"
    if s.startswith("-") and float(s) == 0:
        s = s[1:]
    return s


def raw_from_scores(row, scores: np.ndarray, raw_basis: np.ndarray | None) -> np.ndarray:
    """Raw values whose engine scores are `scores` (the inverse of the leaf's normalisation;
    zscore / percentile leaves from their z or quantile), inside the plausible range."""
    method, d = row["normalisation"], int(row["direction"])
    pmin, pmax = float(row["plausible_min"]), float(row["plausible_max"])
    if method == "goalposts":
        gl, gh = float(row["goalpost_low"]), float(row["goalpost_high"])
        v = gl + scores / 100 * (gh - gl) if d == 1 else gh - scores / 100 * (gh - gl)
    elif method == "ordinal_map":
        levels = int(float(row["ordinal_levels"]))
        v = np.rint(
            1 + scores / 100 * (levels - 1) if d == 1 else levels - scores / 100 * (levels - 1)
        )
    elif method == "boolean_map":
        v = np.rint(scores / 100) if d == 1 else 1 - np.rint(scores / 100)
    elif method == "minmax":
        v = pmin + (pmax - pmin) * (0.1 + 0.8 * (scores / 100 if d == 1 else 1 - scores / 100))
    elif method == "zscore":
        v = pmin + (pmax - pmin) * (0.5 + d * raw_basis / 12)
    elif method == "percentile":
        t = raw_basis if d == 1 else 1 - raw_basis
        v = pmin + (pmax - pmin) * (0.05 + 0.9 * t)
    else:
        raise SystemExit(f"{row['node_code']}: unknown normalisation {method}")
    return np.clip(v, pmin, pmax)


def score_quantum(row, decimals: dict[str, int]) -> float:
    """Score step of one written decimal of the leaf's unit."""
    step = 10.0 ** -decimals[str(row["unit"])]
    if row["normalisation"] == "goalposts":
        return 100 * step / abs(float(row["goalpost_high"]) - float(row["goalpost_low"]))
    return 100 * step / (0.8 * (float(row["plausible_max"]) - float(row["plausible_min"])))


def rounded_raw_values(fw: Framework, leaves: LeafScores, decimals: dict[str, int]) -> np.ndarray:
    """Raw values (units x leaves) as written; leaves.scores become the scores of those values."""
    catalog = fw.catalog.to_dict("records")

    def write_leaf(i: int) -> None:
        row = catalog[i]
        raw = raw_from_scores(row, leaves.scores[:, i], leaves.special.get(i))
        dec = decimals[str(row["unit"])]
        values[:, i] = np.array([float(fmt(x, dec)) for x in raw])
        leaves.scores[:, i] = ref.normalise_catalog_row(list(values[:, i]), row)

    def reabsorb() -> None:
        leaves.scores = project(
            leaves.scores, leaves.rows, leaves.lo, leaves.hi, leaves.cols, leaves.fixed, iters=20
        )

    n_leaves = len(fw.leaves)
    values = np.zeros((len(fw.units), n_leaves))
    unrounded = sorted(
        (i for i in range(n_leaves) if not leaves.fixed[:, i].all()),
        key=lambda i: (-score_quantum(catalog[i], decimals), i),
    )
    for i in range(n_leaves):
        if i not in unrounded:  # pinned leaves: their engine scores come from the rounded values
            write_leaf(i)  # (a zscore moves with the rounded mean / sd)
    reabsorb()
    for i in unrounded:
        write_leaf(i)
        leaves.fixed[:, i] = True
        reabsorb()
    return values


def written_values(
    fw: Framework, values: np.ndarray, scores: np.ndarray, decimals: dict[str, int], rng
) -> tuple[list[list[str]], list[list[str]]]:
    """(raw text, note) per unit x leaf; about half of the goalposts scores pinned at 0 or 100
    are written beyond the goalpost."""
    n_units, n_leaves = values.shape
    raw = [[""] * n_leaves for _ in range(n_units)]
    notes = [[""] * n_leaves for _ in range(n_units)]
    for i, row in enumerate(fw.catalog.to_dict("records")):
        dec = decimals[str(row["unit"])]
        column = values[:, i].copy()
        if row["normalisation"] == "goalposts":
            for u in beyond_goalposts(row, column, scores[:, i], dec, rng):
                notes[u][i] = BEYOND_GOALPOST
        for u in range(n_units):
            raw[u][i] = fmt(column[u], dec)
    return raw, notes


def beyond_goalposts(row, column: np.ndarray, scores: np.ndarray, dec: int, rng) -> list[int]:
    """Move (in place) pinned goalposts values beyond the goalpost where the engine score stays
    the same; the units moved."""
    gl, gh = float(row["goalpost_low"]), float(row["goalpost_high"])
    d = int(row["direction"])
    pmin, pmax = float(row["plausible_min"]), float(row["plausible_max"])
    n_units = len(column)
    coin = rng.uniform(0, 1, n_units)
    far = rng.uniform(0.05, 0.3, n_units)
    moved = []
    for u in range(n_units):
        if coin[u] >= 0.5 or not (scores[u] >= 100 - 1e-12 or scores[u] <= 1e-12):
            continue
        post = column[u]
        limit = pmax if post >= (gl + gh) / 2 else pmin
        step = float(np.sign(limit - post)) * min(abs(limit - post), 0.5 * abs(gh - gl))
        candidate = float(fmt(post + step * far[u], dec))
        if candidate != post and ref.normalise([candidate], "goalposts", d, gl, gh)[0] == scores[u]:
            column[u] = candidate
            moved.append(u)
    return moved
