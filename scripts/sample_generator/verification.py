"""Step 5: re-read the written sample, score it with reference_engine and check every target.

Printed rows (score, rank, tier) are judged by the calibration rule (calibration_rule.py); printed
averages, tier counts and node lists here. A miss is a failure unless a recorded source
discrepancy (marts.fct_source_discrepancies) excuses it.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import reference_engine as ref

from .calibration_rule import calibration_verdicts
from .inputs import Framework
from .settings import MEAN_TOLERANCE
from .targets import lower_mean_targets, node_lists, pillar_mean_targets, table_node

TOLERANCE = MEAN_TOLERANCE + 1e-9


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
    scores = ref.score_framework(
        raw[["unit", "node_code", "value"]],
        fw.catalog,
        fw.nodes[["node_code", "parent_code", "weight"]].assign(
            parent_code=lambda d: d.parent_code.where(d.parent_code.notna(), None)
        ),
    )
    return scores.pivot(index="unit", columns="node_code", values="score")


def verify(fw: Framework, text: str) -> Report:
    report = Report(fw.fid)
    scores = node_scores_from_csv(fw, text)
    check_written_values(fw, scores, pd.read_csv(io.StringIO(text), keep_default_na=False), report)
    composite = scores["root"]
    rank_of = composite_ranks(fw, composite)
    if fw.scores_published:
        verify_printed_scores(fw, composite, rank_of, report)
    else:
        verify_rank_lists(fw, scores, rank_of, report)
    check_node_means(fw, scores, report)
    check_overall_mean(fw, composite, report)
    report.summary["median_within_unit_leaf_sd"] = float(scores[fw.leaves].std(axis=1).median())
    return report


def check_written_values(fw: Framework, scores, raw: pd.DataFrame, report: Report) -> None:
    """Every node score in [0, 100], provenance synthetic, raw values inside plausible ranges."""
    bad = int(((scores < -1e-9) | (scores > 100 + 1e-9)).sum().sum())
    if bad:
        report.failures.append(f"{bad} node scores outside [0, 100]")
    if set(raw.provenance) != {"synthetic"}:
        report.failures.append("provenance other than synthetic")
    catalog = fw.catalog.set_index("node_code")
    ranges = raw.merge(
        catalog[["plausible_min", "plausible_max"]], left_on="node_code", right_index=True
    )
    outside = int(
        ((ranges.value < ranges.plausible_min) | (ranges.value > ranges.plausible_max)).sum()
    )
    if outside:
        report.failures.append(f"{outside} raw values outside the plausible range")


def composite_ranks(fw: Framework, composite: pd.Series) -> dict[str, int]:
    """Rank of every unit by composite, per unit level (reference_engine.rank_units)."""
    levels = fw.results.drop_duplicates("unit_id")[["unit_id", "unit_level"]]
    ranked = levels.assign(composite=levels.unit_id.map(composite)).reset_index(drop=True)
    ranked["rank"] = ref.rank_units(ranked)
    return dict(zip(ranked.unit_id, ranked["rank"], strict=True))


# --------------------------------------------------------------------------- printed scores
def printed_row_verdicts(fw: Framework, composite, rank_of: dict[str, int]) -> pd.DataFrame:
    """Rows of the score tables with the calibration rule's verdicts."""
    scored = fw.tables[fw.tables.is_score_printed].table_id
    rows = fw.results[fw.results.table_id.isin(scored)]
    computed = rows.assign(
        composite_score_rounded=[ref.round_half_up(composite[u], 1) for u in rows.unit_id],
        composite_rank=[rank_of[u] for u in rows.unit_id],
        tier_code=[
            ref.tier_for(composite[u], fw.tier_rules) if fw.tier_rules else None
            for u in rows.unit_id
        ],
    )
    return calibration_verdicts(computed, rows, fw.discrepancies)


def verify_printed_scores(fw: Framework, composite, rank_of, report: Report) -> None:
    rows = printed_row_verdicts(fw, composite, rank_of)
    counts = report_row_verdicts(fw, rows, composite, report)
    check_table_means(fw, rows, composite, report)
    if fw.tier_rules:
        check_tier_aggregates(fw, rows, composite, report)
    report_rank_only_tables(fw, rank_of, report)
    offsets = np.array(
        [composite[u] - s for u, s in zip(rows.unit_id, rows.published_score, strict=True)]
    )
    n = len(rows)
    report.summary = {
        "units": len(fw.units),
        "scores": f"{counts['score']}/{n}",
        "ranks": f"{counts['rank']}/{n}",
        **report.summary,
    }
    report.summary.update(
        composite_minus_score=f"[{offsets.min():.4f}, {offsets.max():.4f}]",
        tiers=f"{counts['tier']}/{counts['tiers_printed']}" if counts["tiers_printed"] else "n/a",
    )


def report_row_verdicts(fw: Framework, rows: pd.DataFrame, composite, report) -> dict[str, int]:
    """Messages for the rule's verdicts (scores, then ranks in printed-score order per table, then
    tiers) and the number of matches of each."""
    for r in rows[rows.score_verdict == "failed"].itertuples():
        report.failures.append(
            f"{r.name_as_printed} ({r.unit_id}): composite {composite[r.unit_id]:.4f} "
            f"does not round to {r.published_score}"
        )
    by_implied_rank = rows.sort_values(["table_id", "implied_rank"], kind="mergesort")
    for r in by_implied_rank.itertuples():
        rank_vs = f"{r.name_as_printed}: rank {r.composite_rank} vs printed {r.published_rank}"
        if r.rank_verdict == "excused":
            report.excused.append(f"{rank_vs} — printed score kept (score_rank_order discrepancy)")
        elif r.rank_verdict == "failed":
            report.failures.append(rank_vs)
    tiered = rows[rows.published_tier.notna()] if fw.tier_rules else rows.iloc[:0]
    for r in tiered.itertuples():
        if r.tier_verdict == "excused":
            report.excused.append(
                f"{r.name_as_printed}: tier {r.tier_code} vs printed list {r.published_tier} "
                "— printed score kept (tier_threshold discrepancy)"
            )
        elif r.tier_verdict == "failed":
            report.failures.append(
                f"{r.name_as_printed}: tier {r.tier_code} vs printed {r.published_tier}"
            )
    return {
        "score": int((rows.score_verdict == "match").sum()),
        "rank": int((rows.rank_verdict == "match").sum()),
        "tier": int((tiered.tier_verdict == "match").sum()),
        "tiers_printed": len(tiered),
    }


def check_table_means(fw: Framework, rows: pd.DataFrame, composite, report: Report) -> None:
    """Printed table means follow from the scores."""
    table_means = fw.aggregates[
        (fw.aggregates.metric == "mean_score") & (fw.aggregates.subject_type == "table")
    ]
    excused = "table_mean" in set(fw.discrepancies.check_name)
    for a in table_means.itertuples():
        got = float(np.mean([composite[u] for u in rows[rows.table_id == a.subject].unit_id]))
        report.summary[f"mean_err[{a.subject.split('__', 1)[1]}]"] = got - a.value
        if abs(got - a.value) > TOLERANCE:
            msg = f"mean of table {a.subject} {got:.3f} vs printed {a.value}"
            (report.excused if excused else report.failures).append(msg)


def check_tier_aggregates(fw: Framework, rows: pd.DataFrame, composite, report: Report) -> None:
    """Printed tier counts and means follow from the scores; excused only if recorded."""
    tiers = {u: ref.tier_for(composite[u], fw.tier_rules) for u in rows.unit_id}
    tier_aggregates = fw.aggregates[fw.aggregates.subject_type == "tier"]
    disc = fw.discrepancies
    for a in tier_aggregates.itertuples():
        members = [composite[u] for u, t in tiers.items() if t == a.subject]
        if a.metric == "unit_count":
            got, ok, check = len(members), len(members) == a.value, "tier_count"
        else:
            got = np.mean(members) if members else float("nan")
            ok, check = abs(got - a.value) <= TOLERANCE, "tier_mean"
        if ok:
            continue
        msg = f"tier {a.subject} {a.metric} {got:.3f} vs printed {a.value}"
        if len(disc[(disc.check_name == check) & (disc.subject == a.subject)]):
            report.excused.append(msg + f" ({check} discrepancy)")
        else:
            report.failures.append(
                msg + " (follows from the printed scores; not reachable by calibration)"
            )
    report.summary["tier_aggregates_checked"] = len(tier_aggregates)


def report_rank_only_tables(fw: Framework, rank_of, report: Report) -> None:
    """Rank-only tables of a scored framework are not calibrated targets: informational."""
    tables = fw.tables[~fw.tables.is_score_printed & fw.tables.is_rank_printed]
    for t in tables.itertuples():
        g = fw.results[fw.results.table_id == t.table_id]
        agree = sum(rank_of[u] == pr for u, pr in zip(g.unit_id, g.published_rank, strict=True))
        line = (
            f"  info: rank-only table {t.table_id}: {agree}/{len(g)} printed ranks equal "
            "composite ranks"
        )
        if "scale" in t.table_id:
            line += " (not a target: not a ranking by composite)"
        report.lines.append(line)


# --------------------------------------------------------------------------- ranks only
def verify_rank_lists(fw: Framework, scores: pd.DataFrame, rank_of, report: Report) -> None:
    """Every printed rank list in order and above every unlisted unit; unranked lists (text
    leaders) above the rest as a bonus."""
    lists = node_lists(fw)
    in_order = 0
    for listed in lists:
        if listed.node not in scores.columns:
            report.failures.append(f"{listed.table_id}: node {listed.node} has no scores")
            continue
        violations = list_order_violations(fw, scores[listed.node], listed.units)
        if violations:
            report.failures.append(
                f"{listed.table_id} ({listed.node}): order violated: {violations[:5]}"
            )
        else:
            in_order += 1
    report_unranked_lists(fw, scores, report)
    top = next(listed for listed in lists if listed.node == "root").units
    rank_matches = sum(rank_of[u] == i + 1 for i, u in enumerate(top))
    report.summary.update(
        units=len(fw.units),
        ranks=f"{rank_matches}/{len(top)} (top list)",
        rank_lists=f"{in_order}/{len(lists)} printed rank lists in order",
    )


def list_order_violations(fw: Framework, node_scores: pd.Series, listed: list[str]) -> list[str]:
    violations = [
        f"{a}>{b}"
        for a, b in zip(listed, listed[1:], strict=False)
        if not node_scores[a] > node_scores[b]
    ]
    unlisted = [u for u in fw.units if u not in set(listed)]
    if unlisted and not node_scores[listed].min() > node_scores[unlisted].max():
        violations.append("an unlisted unit scores above the lowest listed unit")
    return violations


def report_unranked_lists(fw: Framework, scores: pd.DataFrame, report: Report) -> None:
    unranked = fw.tables[~fw.tables.is_rank_printed & ~fw.tables.is_score_printed]
    for t in unranked.to_dict("records"):
        node = table_node(t)
        if node is None or node not in scores.columns:
            continue
        listed = list(fw.results[fw.results.table_id == t["table_id"]].unit_id)
        unlisted = [u for u in fw.units if u not in set(listed)]
        above = sum(scores[node][u] > scores[node][unlisted].max() for u in listed)
        report.lines.append(
            f"  info: unranked list {t['table_id']} ({node}): {above}/{len(listed)} listed units "
            f"score above every unlisted unit (bonus)"
        )


# --------------------------------------------------------------------------- averages
def check_node_means(fw: Framework, scores: pd.DataFrame, report: Report) -> None:
    """Printed pillar averages (targets) and lower-level averages (bonus targets)."""
    means = pillar_mean_targets(fw)
    lower = lower_mean_targets(fw)
    averages_disputed = bool(
        set(fw.discrepancies.check_name) & {"table_mean", "pillar_weighted_mean"}
    )
    errors = {}
    for node, m in {**means, **lower}.items():
        err = float(scores[node].mean() - m)
        errors[node] = err
        if abs(err) <= TOLERANCE:
            continue
        msg = f"mean of {node} = {scores[node].mean():.3f} vs printed {m} (error {err:+.3f})"
        if node in means and averages_disputed:
            report.excused.append(
                msg + " — scores kept (table_mean discrepancy: printed averages "
                "inconsistent with printed scores)"
            )
        elif node in means:
            report.failures.append(msg)
        else:
            report.excused.append(msg + " — lower-level average (bonus target)")
    if means:
        report.summary["pillar_mean_max_abs_err"] = max(abs(errors[p]) for p in means)
    if lower:
        report.summary["lower_mean_max_abs_err"] = max(abs(errors[p]) for p in lower)


def check_overall_mean(fw: Framework, composite: pd.Series, report: Report) -> None:
    overall = fw.aggregates[
        (fw.aggregates.subject_type == "framework") & (fw.aggregates.metric == "mean_score")
    ]
    excused = "table_mean" in set(fw.discrepancies.check_name)
    for v in overall.value:
        err = float(composite.mean() - v)
        report.summary["overall_mean_err"] = err
        if abs(err) > TOLERANCE:
            msg = f"overall mean {composite.mean():.3f} vs printed {v} (error {err:+.3f})"
            if excused:
                report.excused.append(msg + " — table_mean discrepancy; printed scores kept")
            else:
                report.failures.append(msg)
