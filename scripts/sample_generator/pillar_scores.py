"""Step 2: pillar scores per unit — composite + pillar deviation, calibrated so the weighted
pillar sum is the composite, printed pillar averages hold and printed pillar lists are in order."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .calibration import project
from .inputs import Framework
from .settings import SIGMA_PILLAR
from .targets import NodeList, ordered_values, pillar_mean_targets, pillar_weights


@dataclass
class PillarScores:
    scores: np.ndarray  # units x pillars
    fixed: np.ndarray  # units x pillars: pinned by a printed pillar list
    mean_targets: list[tuple[np.ndarray, float]]  # (pillar selector, mean) column targets
    leaf_lists: dict[str, NodeList]  # leaf -> the printed list its scores must follow


def calibrate_pillars(
    fw: Framework, composite: np.ndarray, node_lists: list[NodeList], rng, plan: list[str]
) -> PillarScores:
    weights = pillar_weights(fw)
    mean_targets = pillar_mean_constraints(fw, composite, weights, plan)
    scores = initial_pillar_scores(fw, composite, weights, rng)
    fixed, leaf_lists = pin_listed_pillars(fw, composite, scores, node_lists, rng, plan)
    scores = project(scores, [(weights, composite)], 0.0, 100.0, mean_targets, fixed)
    return PillarScores(scores, fixed, mean_targets, leaf_lists)


def pillar_mean_constraints(
    fw: Framework, composite: np.ndarray, weights: np.ndarray, plan: list[str]
) -> list[tuple[np.ndarray, float]]:
    """Column targets for the printed pillar means. When every pillar mean is printed, all are
    shifted equally (smallest max |shift|) so that sum(w * mean) equals the composites' mean."""
    n_pillars = len(fw.pillars)
    means = pillar_mean_targets(fw)
    if not means:
        return []
    if len(means) < n_pillars:
        return [(np.eye(n_pillars)[fw.pillars.index(p)], m) for p, m in means.items()]
    gap = composite.mean() - sum(weights[fw.pillars.index(p)] * m for p, m in means.items())
    shift = np.full(n_pillars, gap / weights.sum())
    plan.append(
        "pillar means shifted by "
        + ", ".join(f"{p} {s:+.3f}" for p, s in zip(fw.pillars, shift, strict=True))
    )
    return [(np.eye(n_pillars)[j], means[p] + shift[j]) for j, p in enumerate(fw.pillars)]


def initial_pillar_scores(
    fw: Framework, composite: np.ndarray, weights: np.ndarray, rng
) -> np.ndarray:
    """Composite + the pillar's printed-mean offset (else a random offset with weighted mean 0)
    + unit noise that shrinks towards the ends of the scale."""
    means = pillar_mean_targets(fw)
    pillar_offset = {p: m - composite.mean() for p, m in means.items()}
    base_offset = rng.normal(0, 3.0, len(fw.pillars))
    base_offset -= weights @ base_offset
    scores = np.empty((len(fw.units), len(fw.pillars)))
    for j, p in enumerate(fw.pillars):
        scores[:, j] = (
            composite
            + pillar_offset.get(p, base_offset[j])
            + rng.normal(0, SIGMA_PILLAR, len(fw.units)) * (1 - np.abs(composite - 50) / 80)
        )
    return scores


def pin_listed_pillars(
    fw: Framework,
    composite: np.ndarray,
    scores: np.ndarray,
    node_lists: list[NodeList],
    rng,
    plan: list[str],
) -> tuple[np.ndarray, dict[str, NodeList]]:
    """Set (in place) and pin the pillar scores of printed pillar lists; hand leaf lists on to the
    leaf step."""
    unit_index = {u: i for i, u in enumerate(fw.units)}
    fixed = np.zeros_like(scores, dtype=bool)
    leaf_lists: dict[str, NodeList] = {}
    for listed in node_lists:
        if listed.node == "root":
            continue
        if listed.node in fw.pillars:
            j = fw.pillars.index(listed.node)
            base = {u: composite[unit_index[u]] for u in fw.units}
            values = ordered_values(base, listed.units, fw.units, rng, ordered=listed.ordered)
            for u, v in values.items():
                scores[unit_index[u], j] = v
                fixed[unit_index[u], j] = True
        elif listed.node in fw.leaves:
            leaf_lists[listed.node] = listed
        else:
            plan.append(
                f"{listed.table_id}: node {listed.node} is neither a pillar nor a leaf; "
                "list not calibrated"
            )
    return fixed, leaf_lists
