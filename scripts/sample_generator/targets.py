"""Targets: what the reports print, turned into the values the sample must reproduce.

Composite targets per unit (from printed scores, or from a printed rank list when the reports
print ranks only), printed pillar and lower-level averages, and the printed node lists whose order
the scores must follow.
"""

from __future__ import annotations

import re
from typing import NamedTuple

import numpy as np
import pandas as pd

from .inputs import Framework
from .settings import LIST_GAP, WINDOW_HI, WINDOW_LO


class NodeList(NamedTuple):
    """A printed list of units for one node: in printed-rank order when `ordered`, else an
    unranked list (text leaders) whose units are only placed above the rest."""

    table_id: str
    node: str
    units: list[str]
    ordered: bool


# --------------------------------------------------------------------------- composites
def composite_targets(
    fw: Framework, node_lists: list[NodeList], rng, plan: list[str]
) -> np.ndarray:
    """One composite per unit (fw.units order)."""
    if not fw.scores_published:
        return composites_from_rank_list(fw, node_lists, rng)
    targets, notes = score_targets(fw)
    plan += notes
    missing = [u for u in fw.units if u not in targets]
    for u in missing:  # unit only in rank-only tables: place it by its printed rank later
        plan.append(f"{u}: no published score; composite set from the mean")
        targets[u] = float(np.mean(list(targets.values())))
    return np.array([targets[u] for u in fw.units])


def composites_from_rank_list(fw: Framework, node_lists: list[NodeList], rng) -> np.ndarray:
    """Ranks only: strictly decreasing composites (>= 0.05 apart) in the top list's printed rank,
    every other unit at least 1 point below the last listed one."""
    top = next(listed for listed in node_lists if listed.node == "root").units
    k = len(top)
    shape = 88.0 - 28.0 * (np.arange(k) / max(k - 1, 1)) ** 0.8 + rng.normal(0, 1.0, k)
    shape = np.sort(shape)[::-1]
    for r in range(1, k):
        shape[r] = min(shape[r], shape[r - 1] - 0.05)
    composite = {u: float(v) for u, v in zip(top, shape, strict=True)}
    rest = [u for u in fw.units if u not in composite]
    floor = min(composite.values())
    for u in rest:
        composite[u] = floor - 1.0 - rng.uniform(0, 12.0)
    return np.array([composite[u] for u in fw.units])


def score_targets(fw: Framework) -> tuple[dict[str, float], list[str]]:
    """Composite targets for every unit with a published score.

    Each published score s gets a composite in [s + WINDOW_LO, s + WINDOW_HI]; tied scores are
    spread (>= 0.0025 apart) in printed-rank order. The common centre offset of a table is chosen
    to bring the table's mean composite closest to its printed mean: the table-level printed mean
    if any, else (one scored table) the midpoint of sum(w * printed pillar mean) and the printed
    overall mean, whichever exist.
    """
    notes = []
    printed = fw.results[fw.results.published_score.notna()]
    printed = printed.merge(fw.tables[fw.tables.is_score_printed][["table_id"]], on="table_id")
    mean_scores = fw.aggregates[fw.aggregates.metric == "mean_score"]
    scored_tables = sorted(printed.table_id.unique())
    overall_means = overall_mean_estimates(fw, mean_scores)
    targets: dict[str, float] = {}
    for tid in scored_tables:
        groups = tied_score_groups(printed[printed.table_id == tid])
        table_means = mean_scores[
            (mean_scores.subject_type == "table") & (mean_scores.subject == tid)
        ]
        tmean = [float(v) for v in table_means.value]
        want_mean = (
            tmean[0]
            if tmean
            else (
                float(np.mean(overall_means)) if overall_means and len(scored_tables) == 1 else None
            )
        )
        centre = best_centre_offset(groups, want_mean)
        for score, units in groups:
            for u, offset in zip(units, spread_offsets(centre, len(units)), strict=True):
                if u in targets:
                    notes.append(f"{u} printed in two scored tables; first kept")
                    continue
                targets[u] = score + float(offset)
    return targets, notes


def overall_mean_estimates(fw: Framework, mean_scores: pd.DataFrame) -> list[float]:
    """What the printed figures say the overall mean is: sum(w * printed pillar mean) when every
    pillar's mean is printed, and the printed overall mean."""
    estimates = []
    pillar_means = pillar_mean_targets(fw)
    if pillar_means and len(pillar_means) == len(fw.pillars):
        weights = pillar_weights(fw)
        estimates.append(sum(weights[fw.pillars.index(p)] * m for p, m in pillar_means.items()))
    estimates += [float(v) for v in mean_scores[mean_scores.subject_type == "framework"].value]
    return estimates


def tied_score_groups(table_rows: pd.DataFrame) -> list[tuple[float, list[str]]]:
    """(printed score, its units in printed-rank order), ascending score."""
    groups = []
    for score, group in table_rows.groupby("published_score", sort=True):
        group = group.sort_values(["published_rank", "unit_id"])
        groups.append((float(score), list(group.unit_id)))
    return groups


def spread_offsets(centre: float, n_tied: int) -> np.ndarray:
    """Offsets (composite - printed score) of n_tied units printed with the same score:
    decreasing in printed-rank order, 0.0025 apart, inside the window."""
    if n_tied == 1:
        return np.array([centre])
    half = min((WINDOW_HI - WINDOW_LO) / 2, 0.00125 * (n_tied - 1))
    c = float(np.clip(centre, WINDOW_LO + half, WINDOW_HI - half))
    return np.linspace(c + half, c - half, n_tied)


def best_centre_offset(groups: list[tuple[float, list[str]]], want_mean: float | None) -> float:
    """The window offset (0.0005 grid) whose composites' mean comes closest to want_mean."""
    if want_mean is None:
        return (WINDOW_LO + WINDOW_HI) / 2
    n_all = sum(len(units) for _, units in groups)
    grid = np.round(np.arange(WINDOW_LO, WINDOW_HI + 1e-9, 0.0005), 4)
    err = [
        abs(
            sum((s + spread_offsets(o, len(units))).sum() for s, units in groups) / n_all
            - want_mean
        )
        for o in grid
    ]
    return float(grid[int(np.argmin(err))])


# --------------------------------------------------------------------------- printed averages
def pillar_weights(fw: Framework) -> np.ndarray:
    return np.array([fw.ew[fw.node_vec[p] > 0].sum() for p in fw.pillars])


def pillar_mean_targets(fw: Framework) -> dict[str, float]:
    a = fw.aggregates
    a = a[(a.metric == "mean_score") & (a.subject_type == "node") & a.subject.isin(fw.pillars)]
    return {p: float(v) for p, v in zip(a.subject, a.value, strict=True)}


def lower_mean_targets(fw: Framework) -> dict[str, float]:
    a = fw.aggregates
    lower = set(fw.nodes[fw.nodes.level >= 2].node_code)
    a = a[(a.metric == "mean_score") & (a.subject_type == "node") & a.subject.isin(lower)]
    return {s: float(v) for s, v in zip(a.subject, a.value, strict=True)}


# --------------------------------------------------------------------------- printed lists
def table_node(t: dict) -> str | None:
    """Node a ranking table ranks: dim_ranking_tables.ranked_node_code when the warehouse has the
    column, else parsed from the table_id (overall_* -> root, pillar_p1_* -> p1,
    indicator_p3_1_* -> p3_1)."""
    if "ranked_node_code" in t:
        v = t["ranked_node_code"]
        return v if isinstance(v, str) and v else None
    m = re.fullmatch(
        r"(overall|pillar_(p\d+)|indicator_(p\d+(?:_\d+)+))_(top\d+|text_leaders)",
        t["table_id"].split("__", 1)[1],
    )
    if not m:
        return None
    return m.group(2) or m.group(3) or "root"


def printed_node_lists(fw: Framework) -> list[NodeList]:
    """The node lists a ranks-only framework's scores must follow: its printed rank lists, then
    the unranked lists (text leaders) of otherwise unranked nodes. None when scores are printed
    (the scores are the targets)."""
    if fw.scores_published:
        return []
    return node_lists(fw, ordered=True) + node_lists(fw, ordered=False)


def node_lists(fw: Framework, ordered: bool = True) -> list[NodeList]:
    """The node lists without printed scores: ordered=True the printed rank lists, ordered=False
    the unranked lists (text leaders) of nodes that have no printed rank list."""
    out = []
    tables = fw.tables[~fw.tables.is_score_printed].to_dict("records")
    has_rank = {
        node for t in tables if (node := table_node(t)) is not None and t["is_rank_printed"]
    }
    for t in tables:
        node = table_node(t)
        if (
            node is None
            or bool(t["is_rank_printed"]) != ordered
            or (not ordered and node in has_rank)
        ):
            continue
        rows = fw.results[fw.results.table_id == t["table_id"]].sort_values(
            ["published_rank", "row_order"]
        )
        out.append(NodeList(t["table_id"], node, list(rows.unit_id), ordered))
    return out


def ordered_values(
    base: dict[str, float],
    listed: list[str],
    units: list[str],
    rng,
    top: float = 97.0,
    gap: float = LIST_GAP,
    ordered: bool = True,
) -> dict[str, float]:
    """Scores for a printed node list: strictly decreasing in list order, above every unlisted
    (an unordered list is first ordered by the units' base values)."""
    if not ordered:
        listed = sorted(listed, key=lambda u: (-base[u], u))
    vals = sorted((base[u] + rng.normal(0, 2.0) for u in listed), reverse=True)
    out = {}
    prev = top + gap
    for u, v in zip(listed, vals, strict=True):
        v = min(v, prev - gap)
        out[u] = v
        prev = v
    floor_listed = prev
    for u in units:
        if u not in out:
            out[u] = min(base[u] + rng.normal(0, 2.0), floor_listed - gap - abs(rng.normal(0, 1.5)))
    lo = min(out.values())
    if lo < 2.0:  # compress into [2, top] keeping the order
        hi = max(out.values())
        out = {u: 2.0 + (v - lo) * (hi - 2.0) / (hi - lo) for u, v in out.items()}
    return out
