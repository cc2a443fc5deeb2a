"""Step 3: leaf (indicator) scores — pillar score + sub-pillar deviation + indicator noise.

Discrete and distribution-dependent leaves (ordinal, boolean, zscore, percentile, minmax ends,
printed leaf lists) are pinned first; the free leaves absorb the rest so each pillar score, the
composite and the printed averages hold (calibration.project).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import reference_engine as ref

from .calibration import project
from .inputs import Framework
from .pillar_scores import PillarScores
from .settings import SIGMA_LEAF, SIGMA_SUB
from .targets import NodeList, lower_mean_targets, ordered_values

DISCRETE_METHODS = ("ordinal_map", "boolean_map")


@dataclass
class LeafScores:
    scores: np.ndarray  # units x leaves
    fixed: np.ndarray  # units x leaves: pinned
    special: dict[int, np.ndarray]  # leaf index -> z / quantile of distribution-based methods
    rows: list  # row constraints the scores satisfy (composite, pinned pillar scores)
    cols: list  # column-mean constraints (printed pillar and lower-level averages)
    lo: np.ndarray  # score box per leaf
    hi: np.ndarray


def leaf_box(row) -> tuple[float, float]:
    """Scores reachable from the plausible range (goalposts only; others 0..100)."""
    if row["normalisation"] != "goalposts":
        return 0.0, 100.0
    s = ref.normalise(
        [float(row["plausible_min"]), float(row["plausible_max"])],
        "goalposts",
        int(row["direction"]),
        float(row["goalpost_low"]),
        float(row["goalpost_high"]),
    )
    return min(s), max(s)


def calibrate_leaves(
    fw: Framework, composite: np.ndarray, pillars: PillarScores, rng
) -> LeafScores:
    catalog = fw.catalog.to_dict("records")
    n_units, n_leaves = len(fw.units), len(fw.leaves)
    scores = np.zeros((n_units, n_leaves))
    fixed = np.zeros((n_units, n_leaves), dtype=bool)
    boxes = np.array([leaf_box(row) for row in catalog])
    lo, hi = boxes[:, 0], boxes[:, 1]
    special: dict[int, np.ndarray] = {}
    for j, pillar in enumerate(fw.pillars):
        idx = [i for i in range(n_leaves) if fw.node_vec[pillar][i] > 0]
        shaped, pinned = shape_pillar_leaves(
            fw, catalog, j, idx, pillars, (lo[idx], hi[idx]), special, rng
        )
        scores[:, idx] = shaped
        fixed[:, idx] = pinned
    # global pass: the fixed leaves may leave pillar targets out of reach for extreme units; let
    # the free leaves of every pillar absorb that, keeping composites (hard), pillar means,
    # lower-level means and any fixed pillar scores (printed pillar lists).
    rows, cols = global_constraints(fw, composite, pillars)
    scores = project(scores, rows, lo, hi, cols, fixed)
    return LeafScores(scores, fixed, special, rows, cols, lo, hi)


def shape_pillar_leaves(fw, catalog, j, idx, pillars, box, special, rng):
    """Scores and pinned mask of one pillar's leaves (units x len(idx)); fills `special`."""
    pillar = fw.pillars[j]
    shares = fw.node_vec[pillar][idx]
    latent = latent_leaf_scores(fw, pillar, pillars.scores[:, j], idx, rng)
    shaped = np.clip(latent, box[0], box[1])
    pinned = np.zeros(shaped.shape, dtype=bool)
    for k, i in enumerate(idx):
        column, pinned_column, raw_basis = pin_leaf(
            fw, catalog[i], pillars.leaf_lists.get(fw.leaves[i]), latent[:, k], shaped[:, k], rng
        )
        shaped[:, k], pinned[:, k] = column, pinned_column
        if raw_basis is not None:
            special[i] = raw_basis
    discrete_steps = {
        k: discrete_step(catalog[i])
        for k, i in enumerate(idx)
        if catalog[i]["normalisation"] in DISCRETE_METHODS
        and fw.leaves[i] not in pillars.leaf_lists
    }
    for u in range(len(fw.units)):
        nudge_discrete_leaves(
            shaped[u], pinned[u], shares, pillars.scores[u, j], box, discrete_steps
        )
    cols = lower_mean_columns(fw, idx)
    shaped = project(shaped, [(shares, pillars.scores[:, j])], box[0], box[1], cols, pinned)
    return shaped, pinned


def latent_leaf_scores(fw, pillar, pillar_scores, idx, rng) -> np.ndarray:
    """Pillar score + level-2 deviation (shared by the leaves below one sub-pillar) + noise."""
    parent = dict(zip(fw.nodes.node_code, fw.nodes.parent_code, strict=True))
    n_units = len(fw.units)
    sub_deviation = {}
    latent = np.empty((n_units, len(idx)))
    for k, i in enumerate(idx):
        level2 = fw.leaves[i]
        while parent[level2] != pillar:
            level2 = parent[level2]
        if level2 not in sub_deviation:
            sub_deviation[level2] = rng.normal(0, SIGMA_SUB, n_units)
        latent[:, k] = (
            pillar_scores
            + sub_deviation[level2]
            + rng.normal(0, SIGMA_LEAF, n_units)
            + rng.normal(0, 4.0)
        )
    return latent


def pin_leaf(fw, row, listed: NodeList | None, latent, clipped, rng):
    """(scores, pinned mask, raw basis or None) of one leaf: a printed list's order, else what its
    normalisation method fixes (goalposts leaves stay free)."""
    all_pinned = np.ones(len(latent), dtype=bool)
    if listed is not None:
        values = ordered_values(
            dict(zip(fw.units, latent, strict=True)),
            listed.units,
            fw.units,
            rng,
            ordered=listed.ordered,
        )
        return np.array([values[u] for u in fw.units]), all_pinned, None
    method = row["normalisation"]
    if method == "ordinal_map":
        levels = int(float(row["ordinal_levels"]))
        grid = 100.0 * np.arange(levels) / (levels - 1)
        position = np.clip(np.rint(latent / 100 * (levels - 1)), 0, levels - 1).astype(int)
        return grid[position], all_pinned, None
    if method == "boolean_map":
        return np.where(latent + rng.normal(0, 10, len(latent)) >= 50, 100.0, 0.0), all_pinned, None
    if method == "zscore":
        z = (latent - latent.mean()) / latent.std(ddof=1)
        return np.clip(50 + 10 * z, 0, 100), all_pinned, z
    if method == "percentile":
        q = percentile_positions(latent, rng)
        return 100 * q, all_pinned, q
    pinned = np.zeros(len(latent), dtype=bool)
    if method == "minmax":
        clipped = clipped.copy()
        low, high = int(np.argmin(latent)), int(np.argmax(latent))
        clipped[low], clipped[high] = 0.0, 100.0
        pinned[low] = pinned[high] = True
    return clipped, pinned, None


def percentile_positions(latent, rng) -> np.ndarray:
    """Each unit's position 0..1 in the latent order (ties broken by a tiny jitter)."""
    n_units = len(latent)
    order = np.argsort(latent + rng.normal(0, 1e-6, n_units), kind="mergesort")
    q = np.empty(n_units)
    q[order] = np.arange(n_units) / (n_units - 1)
    return q


def discrete_step(row) -> float:
    """Score distance between neighbouring levels of an ordinal or boolean leaf."""
    if row["normalisation"] == "boolean_map":
        return 100.0
    return 100.0 / (int(float(row["ordinal_levels"])) - 1)


def nudge_discrete_leaves(scores, pinned, shares, target, box, steps: dict[int, float]) -> None:
    """Feasibility, one unit (in place): while the free leaves cannot absorb what the pinned ones
    leave of the pillar score (3 % margin), move the weightiest discrete leaf one level."""
    for _ in range(50):
        free = ~pinned
        rest = target - scores[~free] @ shares[~free]
        lo_free = (box[0][free] * shares[free]).sum()
        hi_free = (box[1][free] * shares[free]).sum()
        span = max(hi_free - lo_free, 1e-9)
        if lo_free + 0.03 * span <= rest <= hi_free - 0.03 * span or not steps:
            return
        up = rest > hi_free - 0.03 * span
        move = None
        for k in sorted(steps, key=lambda k: -shares[k]):
            moved = scores[k] + (steps[k] if up else -steps[k])
            if 0 <= moved <= 100:
                move = (k, moved)
                break
        if move is None:
            return
        scores[move[0]] = move[1]


def lower_mean_columns(fw: Framework, idx: list[int]) -> list[tuple[np.ndarray, float]]:
    """Column targets of the printed lower-level averages whose leaves all sit in idx."""
    cols = []
    outside = [i for i in range(len(fw.leaves)) if i not in idx]
    for node, m in lower_mean_targets(fw).items():
        a = fw.node_vec[node][idx]
        if a.sum() > 0 and fw.node_vec[node][outside].sum() == 0:
            cols.append((a / 1.0, m))
    return cols


def global_constraints(fw: Framework, composite: np.ndarray, pillars: PillarScores):
    """Rows: pinned pillar scores, then the composite (hard); columns: the pillar means (as
    calibrated in step 2) and the printed lower-level averages."""
    rows = []
    for j, pillar in enumerate(fw.pillars):
        if pillars.fixed[:, j].any():
            pinned_scores = np.where(pillars.fixed[:, j], pillars.scores[:, j], np.nan)
            rows.append((fw.node_vec[pillar], pinned_scores))
    rows.append((fw.ew, composite))
    cols = [
        (fw.node_vec[fw.pillars[int(np.argmax(selector))]], m)
        for selector, m in pillars.mean_targets
    ]
    cols += [(fw.node_vec[node], m) for node, m in lower_mean_targets(fw).items()]
    return rows, cols
