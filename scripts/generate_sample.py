"""Generate the calibrated SYNTHETIC sample of raw indicator values (data/sample/).

The reports publish composite scores, ranks, tiers and pillar averages, never the raw indicator
values. This script invents raw values, in the indicator catalog's natural units, such that the
engine of docs/engine.md (implemented in scripts/reference_engine.py) reproduces what the reports
publish: scores (round half-up to 1 decimal), ranks, tiers, printed pillar averages and, for CCID,
the printed rank lists. It then re-reads the files it wrote and verifies every target with
reference_engine, prints a calibration report and exits 1 when a target not excused by a recorded
source discrepancy (marts.fct_source_discrepancies) is missed.

Method, per framework:
1. target composites: each published score s gets a composite in [s + 0.005, s + 0.045]
   (so round_half_up gives s and a threshold score such as 65.0 stays in the higher tier); units
   printed with the same score are spread inside that window in printed-rank order. CCID prints
   ranks only: composites are a strictly decreasing sequence in the top-100 rank, lower for the rest.
2. pillar scores = composite + pillar-specific deviation, then alternating projections onto
   {weighted pillar sum = composite} and {pillar mean = printed mean, shifted consistently when
   the printed overall mean and sum(w * pillar mean) disagree} and the box [0, 100].
3. leaf scores = pillar score + sub-pillar deviation + indicator noise; discrete / distribution-
   dependent leaves (ordinal, boolean, zscore, percentile, CCID ranked lists) are fixed first,
   goalposts / minmax leaves absorb the rest with the same projections (row = pillar score, column
   mean = printed lower-level averages, box = catalog plausible range).
4. leaf scores are mapped to raw values (goalposts inverted, ordinal levels, 0/1, ...), written
   with a fixed number of decimals per catalog unit, re-parsed and verified.

Deterministic: numpy default_rng([SEED, crc32(framework_id)]); no dependence on time or on
dict/set ordering.

    python scripts/generate_sample.py                # write data/sample/*, print the report
    python scripts/generate_sample.py --check        # exit 1 if the committed files differ
"""

from __future__ import annotations

import argparse
import io
import math
import re
import sys
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
import reference_engine as ref  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
SEED = 20221124  # fixed, documented in data/sample/README.md
# The frameworks, in the order seeds/reference/frameworks.csv lists them (the sample's RNG order).
FRAMEWORKS = list(
    pd.read_csv(REPO / "seeds" / "reference" / "frameworks.csv", usecols=["framework_id"])[
        "framework_id"
    ]
)
HEADER = "unit,node_code,value,note,provenance"
WINDOW_LO, WINDOW_HI = 0.005, 0.045  # composite - published score, inside [0, 0.05)
SIGMA_PILLAR = 7.0  # pillar deviation from the composite (score points)
SIGMA_SUB = 5.0  # level-2 deviation from the pillar
SIGMA_LEAF = 9.0  # indicator noise
LIST_GAP = 0.25  # gap between consecutive scores of a printed rank list (CCID)


# =========================================================================== inputs
@dataclass
class Framework:
    fid: str
    nodes: pd.DataFrame  # node_code, parent_code, level, weight, node_position, is_leaf
    catalog: pd.DataFrame  # one row per leaf, tree order
    results: pd.DataFrame  # published rows of the framework
    tables: pd.DataFrame
    aggregates: pd.DataFrame
    tier_rules: list[dict]
    discrepancies: pd.DataFrame
    units: list[str] = field(default_factory=list)
    leaves: list[str] = field(default_factory=list)
    pillars: list[str] = field(default_factory=list)
    ew: np.ndarray | None = None  # effective weight of each leaf (sum 1)
    node_vec: dict[str, np.ndarray] = field(default_factory=dict)  # node -> relative leaf weights


def load_inputs(warehouse: Path, catalog_dir: Path) -> dict[str, Framework]:
    con = duckdb.connect(str(warehouse), read_only=True)
    q = lambda sql: con.sql(sql).df()  # noqa: E731
    nodes = q(
        "select framework_id, node_code, parent_code, level, weight, node_position, is_leaf "
        "from marts.dim_framework_nodes order by framework_id, node_position"
    )
    results = q(
        "select framework_id, table_id, unit_level, unit_id, name_as_printed, row_order, published_rank, "
        "cast(published_score as double) published_score, published_tier "
        "from marts.fct_published_results order by table_id, published_rank, row_order"
    )
    tables = q("select * from marts.dim_ranking_tables order by table_id")
    aggregates = q(
        "select framework_id, metric, subject_type, subject, cast(value as double) value "
        "from marts.fct_published_aggregates where metric in ('mean_score', 'unit_count') "
        "order by framework_id, subject_type, subject"
    )
    tiers = q(
        "select framework_id, coalesce(node_code, 'root') node_code, tier_code, "
        "cast(min_score_inclusive as double) min_score_inclusive, "
        "cast(max_score_exclusive as double) max_score_exclusive "
        "from marts.dim_tier_rules order by framework_id, tier_code"
    )
    disc = q(
        "select framework_id, table_id, check_name, subject from marts.fct_source_discrepancies "
        "order by framework_id, discrepancy_id"
    )
    con.close()
    out = {}
    for fid in FRAMEWORKS:
        cat_path = catalog_dir / f"indicator_catalog__{fid}.csv"
        if not cat_path.exists():
            raise SystemExit(f"missing indicator catalog {cat_path}")
        cat = pd.read_csv(cat_path, dtype={"node_code": str})
        fw = Framework(
            fid=fid,
            nodes=nodes[nodes.framework_id == fid].reset_index(drop=True),
            catalog=cat,
            results=results[results.framework_id == fid].reset_index(drop=True),
            tables=tables[tables.framework_id == fid].reset_index(drop=True),
            aggregates=aggregates[aggregates.framework_id == fid].reset_index(drop=True),
            tier_rules=[
                r
                for r in tiers[tiers.framework_id == fid].to_dict("records")
                if r["node_code"] == "root"
            ],
            discrepancies=disc[disc.framework_id == fid].reset_index(drop=True),
        )
        prepare(fw)
        out[fid] = fw
    return out


def prepare(fw: Framework) -> None:
    nd = fw.nodes
    fw.leaves = list(nd[nd.is_leaf].node_code)
    fw.pillars = list(nd[nd.level == 1].node_code)
    leaf_set = set(fw.leaves)
    cat_leaves = list(fw.catalog.node_code)
    missing = [l for l in fw.leaves if l not in set(cat_leaves)]
    extra = [l for l in cat_leaves if l not in leaf_set]
    if missing or extra:
        raise SystemExit(f"{fw.fid}: catalog/tree mismatch; missing {missing}, not leaves {extra}")
    fw.catalog = fw.catalog.set_index("node_code").loc[fw.leaves].reset_index()
    parent = dict(zip(nd.node_code, nd.parent_code))
    weight = dict(zip(nd.node_code, nd.weight.astype(float)))
    sib_sum: dict[str, float] = {}
    for c, p in parent.items():
        if isinstance(p, str):
            sib_sum[p] = sib_sum.get(p, 0.0) + weight[c]

    def rel(code: str, anc: str) -> float:  # share of leaf `code` in the score of `anc`
        w = 1.0
        while code != anc:
            p = parent[code]
            w *= weight[code] / sib_sum[p]
            code = p
        return w

    def ancestors(code):
        out = [code]
        while isinstance(parent[out[-1]], str):
            out.append(parent[out[-1]])
        return out

    anc = {l: ancestors(l) for l in fw.leaves}
    for n in nd.node_code:
        fw.node_vec[n] = np.array([rel(l, n) if n in anc[l] else 0.0 for l in fw.leaves])
    fw.ew = fw.node_vec["root"]
    units = sorted(set(fw.results.unit_id.dropna()))
    fw.units = units


# =========================================================================== helpers
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


def row_fix(
    x: np.ndarray, w: np.ndarray, target: float, lo: np.ndarray, hi: np.ndarray
) -> np.ndarray:
    """Move x inside [lo, hi] so that w @ x == target (water-filling over unbounded entries)."""
    x = np.clip(x, lo, hi)
    for _ in range(60):
        r = target - w @ x
        if abs(r) < 1e-11:
            break
        free = (x < hi - 1e-12) if r > 0 else (x > lo + 1e-12)
        free &= w > 0
        if not free.any():
            break
        wf = np.where(free, w, 0.0)
        x = np.clip(x + r * wf / (wf @ wf), lo, hi)
    return x


def pocs(x, rows, lo, hi, col_targets=(), fixed=None, iters=600):
    """Alternating projections for a units x items matrix x (only entries where ~fixed move).

    rows: list of (w, target) with target[u] = nan for no constraint: x[u] @ w == target[u];
    columns: mean_u(x @ a) == m for (a, m) in col_targets; box lo <= x <= hi.
    Ends with an exact per-row fix, constraints in list order, each one moving only entries the
    previous ones do not use (the row constraints are the hard ones; column means may be a hair off).
    """
    free = np.ones_like(x, dtype=bool) if fixed is None else ~fixed
    lo = np.broadcast_to(lo, x.shape)
    hi = np.broadcast_to(hi, x.shape)
    n = x.shape[0]
    for _ in range(iters):
        for w, target in rows:
            has = ~np.isnan(target)
            wf = np.where(free, w, 0.0)
            den = (wf * wf).sum(1)
            ok = has & (den > 0)
            r = np.where(ok, np.nan_to_num(target) - (x * w).sum(1), 0.0)
            x = x + r[:, None] * wf / np.where(den > 0, den, 1)[:, None]
        for a, m in col_targets:
            af = np.where(free, a, 0.0)
            den = (af * af).sum()
            if den > 0:
                x = x + (m - (x @ a).mean()) * n * af / den
        x = np.where(free, np.clip(x, lo, hi), x)
    return exact_fix(x, rows, lo, hi, free)


def exact_fix(x, rows, lo, hi, free):
    """Per unit, satisfy each row constraint exactly (in list order) by moving only free entries
    that no earlier constraint of the unit uses."""
    x = x.copy()
    lo = np.broadcast_to(lo, x.shape)
    hi = np.broadcast_to(hi, x.shape)
    for u in range(x.shape[0]):
        movable = free[u].copy()
        for w, target in rows:
            if np.isnan(target[u]):
                continue
            f = movable & (w > 0)
            if f.any():
                xu = x[u].copy()
                tgt = target[u] - x[u, ~f] @ w[~f]
                xu[f] = row_fix(x[u, f], w[f], tgt, lo[u, f], hi[u, f])
                x[u] = xu
            movable &= ~(w > 0)
    return x


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
    out: dict[str, int] = {}
    span: dict[str, float] = {}
    for cat in catalogs:
        for r in cat.to_dict("records"):
            u = str(r["unit"])
            if r["normalisation"] in ("ordinal_map", "boolean_map"):
                span.setdefault(u, math.inf)
            elif r["normalisation"] == "goalposts":
                span[u] = min(
                    span.get(u, math.inf), abs(float(r["goalpost_high"]) - float(r["goalpost_low"]))
                )
            else:
                span[u] = min(
                    span.get(u, math.inf),
                    0.4 * (float(r["plausible_max"]) - float(r["plausible_min"])),
                )
    for u in sorted(span):
        if u in NATURAL_DECIMALS:
            out[u] = NATURAL_DECIMALS[u]
        elif math.isinf(span[u]):
            out[u] = 0
        else:
            out[u] = int(min(6, max(0, math.ceil(math.log10(100 / (span[u] * 0.01))))))
    return out


# =========================================================================== targets
def h3c_targets(fw: Framework) -> tuple[dict[str, float], list[str]]:
    """Composite targets for every unit with a published score.

    Each published score s gets a composite in [s + WINDOW_LO, s + WINDOW_HI]; tied scores are
    spread (>= 0.0025 apart) in printed-rank order. The common centre offset of a table is chosen
    to bring the table's mean composite closest to its printed mean: the table-level printed mean
    if any, else (one scored table) the midpoint of sum(w * printed pillar mean) and the printed
    overall mean, whichever exist.
    """
    notes = []
    sc = fw.results[fw.results.published_score.notna()]
    sc = sc.merge(fw.tables[fw.tables.is_score_printed][["table_id"]], on="table_id")
    agg = fw.aggregates[fw.aggregates.metric == "mean_score"]
    scored_tables = sorted(sc.table_id.unique())
    fw_target = []
    want = pillar_mean_targets(fw)
    if want and len(want) == len(fw.pillars):
        wp = pillar_weights(fw)
        fw_target.append(sum(wp[fw.pillars.index(p)] * m for p, m in want.items()))
    fw_target += [float(v) for v in agg[agg.subject_type == "framework"].value]

    def offsets(o: float, g: int) -> np.ndarray:
        if g == 1:
            return np.array([o])
        h = min((WINDOW_HI - WINDOW_LO) / 2, 0.00125 * (g - 1))
        c = float(np.clip(o, WINDOW_LO + h, WINDOW_HI - h))
        return np.linspace(c + h, c - h, g)

    targets: dict[str, float] = {}
    for tid in scored_tables:
        groups = []
        for s, g in sc[sc.table_id == tid].groupby("published_score", sort=True):
            g = g.sort_values(["published_rank", "unit_id"])
            groups.append((float(s), list(g.unit_id)))
        tmean = [float(v) for v in agg[(agg.subject_type == "table") & (agg.subject == tid)].value]
        want_mean = (
            tmean[0]
            if tmean
            else (float(np.mean(fw_target)) if fw_target and len(scored_tables) == 1 else None)
        )
        o_best = (WINDOW_LO + WINDOW_HI) / 2
        if want_mean is not None:
            n_all = sum(len(us) for _, us in groups)
            grid = np.round(np.arange(WINDOW_LO, WINDOW_HI + 1e-9, 0.0005), 4)
            err = [
                abs(sum((s + offsets(o, len(us))).sum() for s, us in groups) / n_all - want_mean)
                for o in grid
            ]
            o_best = float(grid[int(np.argmin(err))])
        for s, us in groups:
            for u, o in zip(us, offsets(o_best, len(us))):
                if u in targets:
                    notes.append(f"{u} printed in two scored tables; first kept")
                    continue
                targets[u] = s + float(o)
    return targets, notes


def pillar_weights(fw: Framework) -> np.ndarray:
    return np.array([fw.ew[fw.node_vec[p] > 0].sum() for p in fw.pillars])


def pillar_mean_targets(fw: Framework) -> dict[str, float]:
    a = fw.aggregates
    a = a[(a.metric == "mean_score") & (a.subject_type == "node") & a.subject.isin(fw.pillars)]
    return {p: float(v) for p, v in zip(a.subject, a.value)}


def lower_mean_targets(fw: Framework) -> dict[str, float]:
    a = fw.aggregates
    lower = set(fw.nodes[fw.nodes.level >= 2].node_code)
    a = a[(a.metric == "mean_score") & (a.subject_type == "node") & a.subject.isin(lower)]
    return {s: float(v) for s, v in zip(a.subject, a.value)}


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


def rank_lists(fw: Framework, ordered: bool = True) -> list[tuple[str, str, list[str]]]:
    """(table_id, node_code, units in printed-rank order) for the node lists without printed
    scores (CCID): ordered=True the printed rank lists, ordered=False the unranked lists
    (text leaders) of nodes that have no printed rank list."""
    out = []
    tabs = fw.tables[~fw.tables.is_score_printed]
    has_rank = set()
    for t in tabs.to_dict("records"):
        node = table_node(t)
        if node is not None and t["is_rank_printed"]:
            has_rank.add(node)
    for t in tabs.to_dict("records"):
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
        out.append((t["table_id"], node, list(rows.unit_id)))
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
    """Scores for a printed rank list: strictly decreasing in list order, above every unlisted
    (an unordered list is first ordered by the units' base values)."""
    if not ordered:
        listed = sorted(listed, key=lambda u: (-base[u], u))
    vals = sorted((base[u] + rng.normal(0, 2.0) for u in listed), reverse=True)
    out = {}
    prev = top + gap
    for u, v in zip(listed, vals):
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


# =========================================================================== generation
@dataclass
class Generated:
    scores: np.ndarray  # units x leaves
    raw: list[list[str]]  # formatted raw values
    notes: list[list[str]]
    plan_notes: list[str]


def generate(fw: Framework, decimals: dict[str, int]) -> Generated:
    rng = np.random.default_rng([SEED, zlib.crc32(fw.fid.encode())])
    units, leaves = fw.units, fw.leaves
    n, L = len(units), len(leaves)
    uidx = {u: i for i, u in enumerate(units)}
    plan = []
    is_ccid = fw.fid.startswith("ccid")
    # CCID node lists: printed rank lists, plus unranked lists (text leaders) of otherwise
    # unranked nodes, whose units are only placed above the rest
    ranked = rank_lists(fw) if is_ccid else []
    unranked = rank_lists(fw, ordered=False) if is_ccid else []
    lists = ranked + unranked
    unordered = {t for t, _, _ in unranked}

    # ---- 1. composites
    if not is_ccid:
        targets, notes = h3c_targets(fw)
        plan += notes
        missing = [u for u in units if u not in targets]
        for u in missing:  # unit only in rank-only tables: place it by its printed rank later
            plan.append(f"{u}: no published score; composite set from the mean")
            targets[u] = float(np.mean(list(targets.values())))
        comp = np.array([targets[u] for u in units])
    else:
        top = next(l for l in lists if l[1] == "root")[2]
        k = len(top)
        shape = 88.0 - 28.0 * (np.arange(k) / max(k - 1, 1)) ** 0.8 + rng.normal(0, 1.0, k)
        shape = np.sort(shape)[::-1]
        for r in range(1, k):  # strictly decreasing, >= 0.05 apart
            shape[r] = min(shape[r], shape[r - 1] - 0.05)
        c = {u: float(v) for u, v in zip(top, shape)}
        rest = [u for u in units if u not in c]
        floor = min(c.values())
        for u in rest:
            c[u] = floor - 1.0 - rng.uniform(0, 12.0)
        comp = np.array([c[u] for u in units])

    # ---- 2. pillars
    wp = pillar_weights(fw)  # pillar weights in the composite
    K = len(fw.pillars)
    means = pillar_mean_targets(fw)
    col_targets = []
    if means:
        gap = comp.mean() - sum(wp[fw.pillars.index(p)] * m for p, m in means.items())
        if len(means) == K:
            shift = np.full(K, gap / wp.sum())  # equal shift: smallest max |shift|
            for j, p in enumerate(fw.pillars):
                col_targets.append((np.eye(K)[j], means[p] + shift[j]))
            plan.append(
                "pillar means shifted by "
                + ", ".join(f"{p} {s:+.3f}" for p, s in zip(fw.pillars, shift))
            )
        else:
            for p, m in means.items():
                col_targets.append((np.eye(K)[fw.pillars.index(p)], m))
    pill_offset = {p: m - comp.mean() for p, m in means.items()}
    base_off = rng.normal(0, 3.0, K)
    base_off -= wp @ base_off
    P = np.empty((n, K))
    for j, p in enumerate(fw.pillars):
        P[:, j] = (
            comp
            + pill_offset.get(p, base_off[j])
            + rng.normal(0, SIGMA_PILLAR, n) * (1 - np.abs(comp - 50) / 80)
        )
    fixedP = np.zeros_like(P, dtype=bool)
    list_leaf_fixed: dict[str, dict[str, float]] = {}
    for tid, node, listed in lists:
        if node == "root":
            continue
        if node in fw.pillars:
            j = fw.pillars.index(node)
            base = {u: comp[uidx[u]] for u in units}
            vals = ordered_values(base, listed, units, rng, ordered=tid not in unordered)
            for u, v in vals.items():
                P[uidx[u], j] = v
                fixedP[uidx[u], j] = True
        elif node in leaves:
            list_leaf_fixed[node] = {
                "table": tid,
                "listed": listed,
                "ordered": tid not in unordered,
            }
        else:
            plan.append(f"{tid}: node {node} is neither a pillar nor a leaf; list not calibrated")
    P = pocs(P, [(wp, comp)], 0.0, 100.0, col_targets, fixedP)

    # ---- 3. leaves
    cat = fw.catalog.to_dict("records")
    S = np.zeros((n, L))
    fixed = np.zeros((n, L), dtype=bool)
    boxes = np.array([leaf_box(r) for r in cat])
    lo_b, hi_b = boxes[:, 0], boxes[:, 1]
    raw_special: dict[
        int, np.ndarray
    ] = {}  # leaf index -> raw values for distribution-based methods
    lower_means = lower_mean_targets(fw)
    parent = dict(zip(fw.nodes.node_code, fw.nodes.parent_code))
    for j, p in enumerate(fw.pillars):
        idx = [i for i, l in enumerate(leaves) if fw.node_vec[p][i] > 0]
        r = fw.node_vec[p][idx]
        # latent: pillar + level-2 deviation + indicator noise
        sub_dev = {}
        X = np.empty((n, len(idx)))
        for k, i in enumerate(idx):
            l2 = leaves[i]
            while parent[l2] != p:
                l2 = parent[l2]
            if l2 not in sub_dev:
                sub_dev[l2] = rng.normal(0, SIGMA_SUB, n)
            X[:, k] = P[:, j] + sub_dev[l2] + rng.normal(0, SIGMA_LEAF, n) + rng.normal(0, 4.0)
        Xs = np.clip(X, lo_b[idx], hi_b[idx])
        F = np.zeros((n, len(idx)), dtype=bool)
        for k, i in enumerate(idx):
            row, leaf = cat[i], leaves[i]
            meth = row["normalisation"]
            if leaf in list_leaf_fixed:
                spec = list_leaf_fixed[leaf]
                vals = ordered_values(
                    {u: X[uidx[u], k] for u in units},
                    spec["listed"],
                    units,
                    rng,
                    ordered=spec["ordered"],
                )
                Xs[:, k] = [vals[u] for u in units]
                F[:, k] = True
            elif meth == "ordinal_map":
                kk = int(float(row["ordinal_levels"]))
                grid = 100.0 * np.arange(kk) / (kk - 1)
                Xs[:, k] = grid[np.clip(np.rint(X[:, k] / 100 * (kk - 1)), 0, kk - 1).astype(int)]
                F[:, k] = True
            elif meth == "boolean_map":
                Xs[:, k] = np.where(X[:, k] + rng.normal(0, 10, n) >= 50, 100.0, 0.0)
                F[:, k] = True
            elif meth == "zscore":
                z = (X[:, k] - X[:, k].mean()) / X[:, k].std(ddof=1)
                raw_special[i] = z
                Xs[:, k] = np.clip(50 + 10 * z, 0, 100)
                F[:, k] = True
            elif meth == "percentile":
                order = np.argsort(X[:, k] + rng.normal(0, 1e-6, n), kind="mergesort")
                q = np.empty(n)
                q[order] = np.arange(n) / (n - 1)
                raw_special[i] = q
                Xs[:, k] = 100 * q
                F[:, k] = True
            elif meth == "minmax":
                a, b = int(np.argmin(X[:, k])), int(np.argmax(X[:, k]))
                Xs[a, k], Xs[b, k] = 0.0, 100.0
                F[a, k] = F[b, k] = True
        # feasibility: move discrete leaves of a unit when the free leaves cannot absorb the rest
        disc = [
            k
            for k, i in enumerate(idx)
            if cat[i]["normalisation"] in ("ordinal_map", "boolean_map")
            and leaves[i] not in list_leaf_fixed
        ]
        for u in range(n):
            for _ in range(50):
                fr = ~F[u]
                tgt = P[u, j] - Xs[u, ~fr] @ r[~fr]
                lo_f = (lo_b[idx][fr] * r[fr]).sum()
                hi_f = (hi_b[idx][fr] * r[fr]).sum()
                span = max(hi_f - lo_f, 1e-9)
                if lo_f + 0.03 * span <= tgt <= hi_f - 0.03 * span or not disc:
                    break
                up = tgt > hi_f - 0.03 * span
                best = None
                for k in sorted(disc, key=lambda k: -r[k]):
                    i = idx[k]
                    if cat[i]["normalisation"] == "boolean_map":
                        step = 100.0
                    else:
                        step = 100.0 / (int(float(cat[i]["ordinal_levels"])) - 1)
                    nv = Xs[u, k] + (step if up else -step)
                    if 0 <= nv <= 100:
                        best = (k, nv)
                        break
                if best is None:
                    break
                Xs[u, best[0]] = best[1]
        cols = []
        for node, m in lower_means.items():
            a = fw.node_vec[node][idx]
            if a.sum() > 0 and fw.node_vec[node][[i for i in range(L) if i not in idx]].sum() == 0:
                cols.append((a / 1.0, m))
        Xs = pocs(Xs, [(r, P[:, j])], lo_b[idx], hi_b[idx], cols, F)
        S[:, idx] = Xs
        fixed[:, idx] = F

    # ---- 3b. global pass: the fixed leaves may leave pillar targets out of reach for extreme
    # units; let the free leaves of every pillar absorb that, keeping composites (hard), pillar
    # means, lower-level means and any fixed pillar scores (CCID rank lists).
    rows = []
    for j, p in enumerate(fw.pillars):
        if fixedP[:, j].any():
            rows.append((fw.node_vec[p], np.where(fixedP[:, j], P[:, j], np.nan)))
    rows.append((fw.ew, comp))
    cols = [(fw.node_vec[fw.pillars[int(np.argmax(e))]], m) for e, m in col_targets]
    cols += [(fw.node_vec[nd], m) for nd, m in lower_means.items()]
    S = pocs(S, rows, lo_b, hi_b, cols, fixed)

    # ---- 4. raw values. Written values are rounded to the unit's decimals; leaves are rounded
    # one at a time, coarsest score step first, and after each one the still-unrounded leaves of
    # every unit re-absorb the rounding so composites (and CCID's fixed pillar scores) stay exact.
    def to_raw(i: int, col: np.ndarray) -> np.ndarray:
        row = cat[i]
        meth, d = row["normalisation"], int(row["direction"])
        pmin, pmax = float(row["plausible_min"]), float(row["plausible_max"])
        if meth == "goalposts":
            gl, gh = float(row["goalpost_low"]), float(row["goalpost_high"])
            v = gl + col / 100 * (gh - gl) if d == 1 else gh - col / 100 * (gh - gl)
        elif meth == "ordinal_map":
            kk = int(float(row["ordinal_levels"]))
            v = np.rint(1 + col / 100 * (kk - 1) if d == 1 else kk - col / 100 * (kk - 1))
        elif meth == "boolean_map":
            v = np.rint(col / 100) if d == 1 else 1 - np.rint(col / 100)
        elif meth == "minmax":
            v = pmin + (pmax - pmin) * (0.1 + 0.8 * (col / 100 if d == 1 else 1 - col / 100))
        elif meth == "zscore":
            v = pmin + (pmax - pmin) * (0.5 + d * raw_special[i] / 12)
        elif meth == "percentile":
            t = raw_special[i] if d == 1 else 1 - raw_special[i]
            v = pmin + (pmax - pmin) * (0.05 + 0.9 * t)
        else:
            raise SystemExit(f"{fw.fid} {leaves[i]}: unknown normalisation {meth}")
        return np.clip(v, pmin, pmax)

    def rounded(i: int, v: np.ndarray) -> np.ndarray:
        dec = decimals[str(cat[i]["unit"])]
        return np.array([float(fmt(x, dec)) for x in v])

    def quantum(i: int) -> float:
        row = cat[i]
        step = 10.0 ** -decimals[str(row["unit"])]
        if row["normalisation"] == "goalposts":
            return 100 * step / abs(float(row["goalpost_high"]) - float(row["goalpost_low"]))
        return 100 * step / (0.8 * (float(row["plausible_max"]) - float(row["plausible_min"])))

    values = np.zeros((n, L))
    unrounded = sorted(
        (i for i in range(L) if not fixed[:, i].all()), key=lambda i: (-quantum(i), i)
    )
    for i in range(L):
        if i not in unrounded:  # fixed leaves: their engine scores from the rounded values (zscore
            values[:, i] = rounded(i, to_raw(i, S[:, i]))  # moves with the rounded mean / sd)
            S[:, i] = ref.normalise_catalog_row(list(values[:, i]), cat[i])
    S = pocs(S, rows, lo_b, hi_b, cols, fixed, iters=20)
    for i in unrounded:
        values[:, i] = rounded(i, to_raw(i, S[:, i]))
        S[:, i] = ref.normalise_catalog_row(list(values[:, i]), cat[i])
        fixed[:, i] = True
        S = pocs(S, rows, lo_b, hi_b, cols, fixed, iters=20)

    # a goalposts score pinned at 0 or 100 may come from a value beyond the goalpost (it clips)
    raw = [[""] * L for _ in range(n)]
    notes = [[""] * L for _ in range(n)]
    for i, row in enumerate(cat):
        dec = decimals[str(row["unit"])]
        v = values[:, i].copy()
        if row["normalisation"] == "goalposts":
            gl, gh = float(row["goalpost_low"]), float(row["goalpost_high"])
            d = int(row["direction"])
            pmin, pmax = float(row["plausible_min"]), float(row["plausible_max"])
            u01 = rng.uniform(0, 1, n)
            far = rng.uniform(0.05, 0.3, n)
            for u in range(n):
                if u01[u] >= 0.5 or not (S[u, i] >= 100 - 1e-12 or S[u, i] <= 1e-12):
                    continue
                post = v[u]
                limit = pmax if post >= (gl + gh) / 2 else pmin
                step = float(np.sign(limit - post)) * min(abs(limit - post), 0.5 * abs(gh - gl))
                cand = float(fmt(post + step * far[u], dec))
                if cand != post and ref.normalise([cand], "goalposts", d, gl, gh)[0] == S[u, i]:
                    v[u] = cand
                    notes[u][i] = "beyond goalpost (clips)"
        for u in range(n):
            raw[u][i] = fmt(v[u], dec)
    return Generated(S, raw, notes, plan)


def fmt(x: float, dec: int) -> str:
    s = f"{x:.{dec}f}"
    if s.startswith("-") and float(s) == 0:
        s = s[1:]
    return s


def render_csv(fw: Framework, g: Generated) -> str:
    lines = [HEADER]
    for u, unit in enumerate(fw.units):
        for i, leaf in enumerate(fw.leaves):
            lines.append(f"{unit},{leaf},{g.raw[u][i]},{g.notes[u][i]},synthetic")
    return "\n".join(lines) + "\n"


# =========================================================================== verification
@dataclass
class Report:
    fid: str
    lines: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)  # unexcused
    excused: list[str] = field(default_factory=list)
    summary: dict = field(default_factory=dict)


def node_scores_from_csv(fw: Framework, text: str) -> pd.DataFrame:
    raw = pd.read_csv(
        io.StringIO(text),
        dtype={"unit": str, "node_code": str, "value": float, "note": str, "provenance": str},
        keep_default_na=False,
    )
    sc = ref.score_framework(
        raw[["unit", "node_code", "value"]],
        fw.catalog,
        fw.nodes[["node_code", "parent_code", "weight"]].assign(
            parent_code=lambda d: d.parent_code.where(d.parent_code.notna(), None)
        ),
    )
    return sc.pivot(index="unit", columns="node_code", values="score")


def verify(fw: Framework, text: str) -> Report:
    rep = Report(fw.fid)
    sc = node_scores_from_csv(fw, text)
    raw = pd.read_csv(io.StringIO(text), keep_default_na=False)
    disc = fw.discrepancies
    d_checks = set(disc.check_name)
    comp = sc["root"]
    # every score in [0, 100]
    bad = int(((sc < -1e-9) | (sc > 100 + 1e-9)).sum().sum())
    if bad:
        rep.failures.append(f"{bad} node scores outside [0, 100]")
    if set(raw.provenance) != {"synthetic"}:
        rep.failures.append("provenance other than synthetic")
    # plausible ranges
    cat = fw.catalog.set_index("node_code")
    vv = raw.merge(cat[["plausible_min", "plausible_max"]], left_on="node_code", right_index=True)
    out_rng = int(((vv.value < vv.plausible_min) | (vv.value > vv.plausible_max)).sum())
    if out_rng:
        rep.failures.append(f"{out_rng} raw values outside the plausible range")
    # unit-level ranks
    res = fw.results.copy()
    lvl = res.drop_duplicates("unit_id")[["unit_id", "unit_level"]]
    df = lvl.assign(composite=lvl.unit_id.map(comp)).reset_index(drop=True)
    df["rank"] = ref.rank_units(df)
    rank_of = dict(zip(df.unit_id, df["rank"]))
    if fw.fid.startswith("ccid"):
        verify_ccid(fw, sc, rank_of, rep)
    else:
        verify_h3c(fw, comp, rank_of, rep, d_checks)
    # pillar means
    means = pillar_mean_targets(fw)
    lower = lower_mean_targets(fw)
    errs = {}
    for p, m in {**means, **lower}.items():
        err = float(sc[p].mean() - m)
        errs[p] = err
        if abs(err) > 0.05 + 1e-9:
            msg = f"mean of {p} = {sc[p].mean():.3f} vs printed {m} (error {err:+.3f})"
            if p in means and d_checks & {"table_mean", "pillar_weighted_mean"}:
                rep.excused.append(
                    msg + " — scores kept (table_mean discrepancy: printed averages "
                    "inconsistent with printed scores)"
                )
            elif p in means:
                rep.failures.append(msg)
            else:
                rep.excused.append(msg + " — lower-level average (bonus target)")
    if means:
        rep.summary["pillar_mean_max_abs_err"] = max(abs(errs[p]) for p in means)
    if lower:
        rep.summary["lower_mean_max_abs_err"] = max(abs(errs[p]) for p in lower)
    overall = fw.aggregates[
        (fw.aggregates.subject_type == "framework") & (fw.aggregates.metric == "mean_score")
    ]
    for v in overall.value:
        err = float(comp.mean() - v)
        rep.summary["overall_mean_err"] = err
        if abs(err) > 0.05 + 1e-9:
            msg = f"overall mean {comp.mean():.3f} vs printed {v} (error {err:+.3f})"
            (rep.excused if "table_mean" in d_checks else rep.failures).append(
                msg
                + (
                    " — table_mean discrepancy; printed scores kept"
                    if "table_mean" in d_checks
                    else ""
                )
            )
    # flatness
    leaves = sc[fw.leaves]
    rep.summary["median_within_unit_leaf_sd"] = float(leaves.std(axis=1).median())
    return rep


def verify_h3c(fw, comp, rank_of, rep, d_checks):
    scored = fw.tables[fw.tables.is_score_printed].table_id
    res = fw.results[fw.results.table_id.isin(scored)]
    sro = fw.discrepancies[fw.discrepancies.check_name == "score_rank_order"]
    tt = set(fw.discrepancies[fw.discrepancies.check_name == "tier_threshold"].subject)
    n = len(res)
    sm = rm = tm = tn = 0
    for r in res.itertuples():
        c = comp[r.unit_id]
        if ref.round_half_up(c, 1) == round(r.published_score, 1):
            sm += 1
        else:
            rep.failures.append(
                f"{r.name_as_printed} ({r.unit_id}): composite {c:.4f} does not round to {r.published_score}"
            )
    for tid, g in res.groupby("table_id", sort=True):
        g = g.sort_values(["published_score", "published_rank"], ascending=[False, True])
        expected = dict(zip(g.unit_id, range(1, len(g) + 1)))  # rank the printed scores imply
        for r in g.itertuples():
            if rank_of[r.unit_id] == r.published_rank:
                rm += 1
            elif rank_of[r.unit_id] == expected[r.unit_id] and len(sro[sro.table_id == tid]):
                rep.excused.append(
                    f"{r.name_as_printed}: rank {rank_of[r.unit_id]} vs printed "
                    f"{r.published_rank} — printed score kept (score_rank_order discrepancy)"
                )
            else:
                rep.failures.append(
                    f"{r.name_as_printed}: rank {rank_of[r.unit_id]} vs printed {r.published_rank}"
                )
    if fw.tier_rules:
        for r in res[res.published_tier.notna()].itertuples():
            tn += 1
            t = ref.tier_for(comp[r.unit_id], fw.tier_rules)
            if t == r.published_tier:
                tm += 1
            elif r.name_as_printed in tt:
                rep.excused.append(
                    f"{r.name_as_printed}: tier {t} vs printed list {r.published_tier} "
                    "— printed score kept (tier_threshold discrepancy)"
                )
            else:
                rep.failures.append(f"{r.name_as_printed}: tier {t} vs printed {r.published_tier}")
    # printed table means (follow from the scores)
    agg = fw.aggregates[
        (fw.aggregates.metric == "mean_score") & (fw.aggregates.subject_type == "table")
    ]
    for a in agg.itertuples():
        us = res[res.table_id == a.subject].unit_id
        got = float(np.mean([comp[u] for u in us]))
        rep.summary[f"mean_err[{a.subject.split('__', 1)[1]}]"] = got - a.value
        if abs(got - a.value) > 0.05 + 1e-9:
            msg = f"mean of table {a.subject} {got:.3f} vs printed {a.value}"
            (rep.excused if "table_mean" in d_checks else rep.failures).append(msg)
    # printed tier counts and means (follow from the scores; checked, excused only if recorded)
    if fw.tier_rules:
        tiers = {u: ref.tier_for(comp[u], fw.tier_rules) for u in res.unit_id}
        ag = fw.aggregates[fw.aggregates.subject_type == "tier"]
        dis = fw.discrepancies
        for a in ag.itertuples():
            members = [comp[u] for u, t in tiers.items() if t == a.subject]
            got = (
                len(members)
                if a.metric == "unit_count"
                else (np.mean(members) if members else float("nan"))
            )
            ok = got == a.value if a.metric == "unit_count" else abs(got - a.value) <= 0.05 + 1e-9
            if not ok:
                check = "tier_count" if a.metric == "unit_count" else "tier_mean"
                msg = f"tier {a.subject} {a.metric} {got:.3f} vs printed {a.value}"
                if len(dis[(dis.check_name == check) & (dis.subject == a.subject)]):
                    rep.excused.append(msg + f" ({check} discrepancy)")
                else:
                    rep.failures.append(
                        msg + " (follows from the printed scores; not reachable by calibration)"
                    )
        rep.summary["tier_aggregates_checked"] = len(ag)
    # rank-only tables (not calibrated targets: informational)
    for t in fw.tables[~fw.tables.is_score_printed & fw.tables.is_rank_printed].itertuples():
        g = fw.results[fw.results.table_id == t.table_id]
        agree = sum(rank_of[u] == pr for u, pr in zip(g.unit_id, g.published_rank))
        rep.lines.append(
            f"  info: rank-only table {t.table_id}: {agree}/{len(g)} printed ranks equal "
            "composite ranks (not a target: not a ranking by composite)"
            if "scale" in t.table_id
            else f"  info: rank-only table {t.table_id}: {agree}/{len(g)} printed ranks equal composite ranks"
        )
    off = np.array([comp[u] - sc for u, sc in zip(res.unit_id, res.published_score)])
    rep.summary = {
        "units": len(fw.units),
        "scores": f"{sm}/{n}",
        "ranks": f"{rm}/{n}",
        **rep.summary,
    }
    rep.summary.update(
        composite_minus_score=f"[{off.min():.4f}, {off.max():.4f}]",
        tiers=f"{tm}/{tn}" if tn else "n/a",
    )


def verify_ccid(fw, sc, rank_of, rep):
    lists = rank_lists(fw)
    ok_lists = 0
    total_pairs = 0
    for tid, node, listed in lists:
        if node not in sc.columns:
            rep.failures.append(f"{tid}: node {node} has no scores")
            continue
        s = sc[node]
        viol = [f"{a}>{b}" for a, b in zip(listed, listed[1:]) if not s[a] > s[b]]
        unlisted = [u for u in fw.units if u not in set(listed)]
        if unlisted and not s[listed].min() > s[unlisted].max():
            viol.append("an unlisted unit scores above the lowest listed unit")
        total_pairs += 1
        if viol:
            rep.failures.append(f"{tid} ({node}): order violated: {viol[:5]}")
        else:
            ok_lists += 1
    for t in fw.tables[~fw.tables.is_rank_printed & ~fw.tables.is_score_printed].to_dict("records"):
        node = table_node(t)
        if node is None or node not in sc.columns:
            continue
        listed = list(fw.results[fw.results.table_id == t["table_id"]].unit_id)
        unlisted = [u for u in fw.units if u not in set(listed)]
        above = sum(sc[node][u] > sc[node][unlisted].max() for u in listed)
        rep.lines.append(
            f"  info: unranked list {t['table_id']} ({node}): {above}/{len(listed)} listed units "
            f"score above every unlisted unit (bonus)"
        )
    top = next(l for l in lists if l[1] == "root")[2]
    rm = sum(rank_of[u] == i + 1 for i, u in enumerate(top))
    rep.summary.update(
        units=len(fw.units),
        ranks=f"{rm}/{len(top)} (top list)",
        rank_lists=f"{ok_lists}/{total_pairs} printed rank lists in order",
    )


# =========================================================================== main
def build_all(warehouse: Path, catalog_dir: Path):
    fws = load_inputs(warehouse, catalog_dir)
    decimals = decimals_for_unit([fw.catalog for fw in fws.values()])
    files, reports, plans = {}, {}, {}
    for fid in FRAMEWORKS:
        fw = fws[fid]
        g = generate(fw, decimals)
        text = render_csv(fw, g)
        files[f"{fid}.csv"] = text
        reports[fid] = verify(fw, text)
        plans[fid] = g.plan_notes
    files["README.md"] = render_readme(reports, plans, decimals)
    return files, reports, plans


def report_text(reports: dict[str, Report], plans) -> str:
    out = []
    for fid, r in reports.items():
        s = r.summary
        out.append(f"### {fid}")
        out.append(
            "  "
            + ", ".join(
                f"{k}: {v:.3f}" if isinstance(v, float) else f"{k}: {v}" for k, v in s.items()
            )
        )
        for p in plans.get(fid, []):
            out.append(f"  plan: {p}")
        out += r.lines
        for e in r.excused:
            out.append(f"  unmet (excused): {e}")
        for f in r.failures:
            out.append(f"  FAILED: {f}")
    return "\n".join(out)


def render_readme(reports, plans, decimals) -> str:
    dec = ", ".join(f"`{u}` {d}" for u, d in decimals.items())
    return f"""# data/sample — SYNTHETIC raw indicator values

**Everything in this folder is synthetic.** The reports publish composite scores, ranks, tiers
and pillar averages, never raw indicator values. These files are invented values, one per
evaluated unit × leaf indicator, in the units of the indicator catalog
(`seeds/catalog/indicator_catalog__<framework_id>.csv`); every row has `provenance = synthetic`.
They are NOT measurements of any city. Use them to exercise the engine, not to analyse cities.

## What they are calibrated to

Computed with the engine of `docs/engine.md` (Python twin: `scripts/reference_engine.py`), the
values reproduce what the reports publish:

- H3C frameworks: every published score (composite rounded half-up to 1 decimal; the composite
  lies in [score + {WINDOW_LO}, score + {WINDOW_HI}], tied scores spread in printed-rank order),
  therefore the published ranks and tiers; the printed level-1 pillar averages within ±0.05
  (and printed lower-level averages where given);
- CCID 2022 (ranks only): composites strictly decreasing in the top-100 rank and below it for the
  other evaluated units; each printed pillar / indicator rank list in printed-rank order and
  above every unlisted unit;
- every node score within [0, 100]; values correlated within a unit (unit level + pillar and
  sub-pillar deviations + indicator noise).

Evaluated units of a framework = the unit_ids in its ranking tables (`marts.fct_published_results`).
Targets the reports make contradictory (recorded in `marts.fct_source_discrepancies`) keep the
printed score and let the rank / tier / average follow; they are listed below.

## Regenerate / check

    .venv/bin/python scripts/generate_sample.py [--warehouse target/reference/digital_city_index.duckdb]
    .venv/bin/python scripts/generate_sample.py --check   # exit 1 if these files differ

Deterministic: `numpy.random.default_rng([{SEED}, crc32(framework_id)])` (seed {SEED}); no
dependence on time or dict/set ordering. Raw values are written with a fixed number of decimals
per catalog unit ({dec}). Leaves are rounded one at a time, coarsest score step first, and the
not-yet-rounded leaves of each unit re-absorb the rounding, so the rounded values still put every
composite inside its target window; the report below is computed on the written, re-parsed files.
Scores pinned at 0 or 100 by a goalpost are sometimes written beyond the goalpost (note
`beyond goalpost (clips)`); the engine clips them back.

## Calibration report

```
{report_text(reports, plans)}
```
"""


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--warehouse", default=str(REPO / "target/reference/digital_city_index.duckdb"))
    ap.add_argument("--catalog-dir", default=str(REPO / "seeds/catalog"))
    ap.add_argument("--out-dir", default=str(REPO / "data/sample"))
    ap.add_argument("--check", action="store_true", help="exit 1 if the committed files differ")
    args = ap.parse_args(argv)
    files, reports, plans = build_all(Path(args.warehouse), Path(args.catalog_dir))
    out = Path(args.out_dir)
    print(report_text(reports, plans))
    failed = any(r.failures for r in reports.values())
    if args.check:
        diffs = []
        for name, text in files.items():
            p = out / name
            old = p.read_text(encoding="utf-8") if p.exists() else None
            if old != text:
                if old is None:
                    diffs.append(f"{name}: missing")
                else:
                    a, b = old.splitlines(), text.splitlines()
                    nd = sum(x != y for x, y in zip(a, b)) + abs(len(a) - len(b))
                    diffs.append(f"{name}: {nd} differing rows")
        if out.is_dir():
            diffs += [
                f"{p.name}: not produced by the generator"
                for p in sorted(out.iterdir())
                if p.is_file() and p.name not in files
            ]
        if diffs:
            print("sample out of date:\n  " + "\n  ".join(diffs))
            return 1
        print("sample up to date")
        return 1 if failed else 0
    out.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (out / name).write_text(text, encoding="utf-8")
    print(f"wrote {len(files)} files to {out}")
    if failed:
        print("calibration FAILED (see above)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
