"""The uncertainty block of scripts/summary.py (README "How sure is a rank?").

Per framework: the top units with their 90 % rank interval drawn as a text chart, and how many
units' tier is uncertain (P(nominal tier) < 0.8), with the least certain ones; then one worked
example read from the marts. The same example is README's: never typed by hand,
`python scripts/summary_uncertainty.py --readme README.md` rewrites README's block from the
built marts (after `make uncertainty`, default vars).
Usage: python scripts/summary_uncertainty.py [--warehouse FILE] [--readme README.md]
"""

from __future__ import annotations

import argparse
import os
import re
import sys
from pathlib import Path

import duckdb
import yaml

REPO = Path(__file__).resolve().parents[1]
TOP_UNITS = 5
CHART_WIDTH = 24
# The threshold behind fct_tier_probabilities.is_tier_uncertain, for the label only.
UNCERTAIN_TIER = yaml.safe_load((REPO / "dbt_project.yml").read_text(encoding="utf-8"))["vars"][
    "uncertain_tier_below"
]
EXAMPLE_FRAMEWORK = "h3c_dei_2021__city"
EXAMPLE_SURE_UNIT = "cn_320100"  # 南京; the unsure one is found in the data
README_START = "<!-- uncertainty-example: scripts/summary_uncertainty.py --readme README.md -->"
README_END = "<!-- /uncertainty-example -->"


def interval_chart(p05: int, nominal: int, p95: int, last_rank: int) -> str:
    """A rank line 1..last_rank: '-' spans P5–P95, '|' marks the nominal rank."""

    def column(rank: int) -> int:
        return min(CHART_WIDTH - 1, (rank - 1) * CHART_WIDTH // max(last_rank, 1))

    cells = [" "] * CHART_WIDTH
    for position in range(column(p05), column(p95) + 1):
        cells[position] = "-"
    cells[column(nominal)] = "|"
    return "[" + "".join(cells) + "]"


def is_built(con: duckdb.DuckDBPyConnection) -> bool:
    return bool(
        con.execute(
            "select count(*) from duckdb_tables() "
            "where schema_name = 'marts' and table_name = 'fct_rank_uncertainty'"
        ).fetchone()[0]
    )


def print_summary(con: duckdb.DuckDBPyConnection) -> None:
    if not is_built(con):
        print("uncertainty analysis not built (marts.fct_rank_uncertainty): run `make uncertainty`")
        return
    n_draws = con.execute("select max(n_draws) from marts.fct_rank_uncertainty").fetchone()[0]
    print(
        f"How sure is a rank? (marts.fct_rank_uncertainty, fct_tier_probabilities; {n_draws} "
        "draws of weights, aggregation, normalisation, imputation; ranks of the SYNTHETIC sample "
        "where is_synthetic)"
    )
    frameworks = con.execute("""
        select framework_id, max(nominal_rank) from marts.fct_rank_uncertainty group by 1 order by 1
    """).fetchall()
    for framework_id, last_rank in frameworks:
        print(
            f"  {framework_id}  (rank 1 … {last_rank}; chart: '-' 90 % interval, '|' nominal rank)"
        )
        rows = con.execute(
            """
            select coalesce(uncertainty.unit_name_zh, uncertainty.unit_id),
                   uncertainty.nominal_rank, uncertainty.rank_median, uncertainty.rank_p05,
                   uncertainty.rank_p95, probabilities.probability, probabilities.tier_name_zh
            from marts.fct_rank_uncertainty as uncertainty
            left join marts.fct_tier_probabilities as probabilities
                on uncertainty.framework_id = probabilities.framework_id
                and uncertainty.unit_id = probabilities.unit_id and probabilities.is_nominal_tier
            where uncertainty.framework_id = ? and uncertainty.nominal_rank <= ?
            order by uncertainty.nominal_rank
        """,
            [framework_id, TOP_UNITS],
        ).fetchall()
        for name, nominal, median, p05, p95, probability, tier in rows:
            tier_text = f"  P({tier}) = {probability:.2f}" if tier else ""
            print(
                f"    {nominal:>3} {name:<10} median {median:>3}  90 % {p05:>3}–{p95:<3} "
                f"{interval_chart(p05, nominal, p95, last_rank)}{tier_text}"
            )
    uncertain = con.execute(
        """
        select probabilities.framework_id,
               count(*) filter (where probabilities.is_tier_uncertain), count(*),
               string_agg(
                   coalesce(units.unit_name_zh, probabilities.unit_id) || ' '
                   || round(probabilities.probability, 2),
                   ', ' order by probabilities.probability, probabilities.unit_id
               ) filter (where probabilities.is_tier_uncertain)
        from marts.fct_tier_probabilities as probabilities
        left join marts.fct_rank_uncertainty as units
            on probabilities.framework_id = units.framework_id
            and probabilities.unit_id = units.unit_id
        where probabilities.is_nominal_tier
        group by probabilities.framework_id order by probabilities.framework_id
    """
    ).fetchall()
    for framework_id, n_uncertain, n_units, examples in uncertain:
        shown = ", ".join((examples or "").split(", ")[:3])
        print(
            f"  tier uncertain (P(nominal tier) < {UNCERTAIN_TIER}): {framework_id} "
            f"{n_uncertain}/{n_units}" + (f", least certain: {shown}" if shown else "")
        )
    example = example_lines(con)
    if example:
        print("  " + "\n  ".join(example))


def unit_sentence(con: duckdb.DuckDBPyConnection, unit_id: str) -> str:
    (name, rank, median, p05, p95, iqr) = con.execute(
        """
        select unit_name_zh, nominal_rank, rank_median, rank_p05, rank_p95, rank_iqr
        from marts.fct_rank_uncertainty where framework_id = ? and unit_id = ?
    """,
        [EXAMPLE_FRAMEWORK, unit_id],
    ).fetchone()
    tiers = con.execute(
        """
        select tier_name_zh, probability, is_nominal_tier from marts.fct_tier_probabilities
        where framework_id = ? and unit_id = ? and probability > 0 order by tier_order
    """,
        [EXAMPLE_FRAMEWORK, unit_id],
    ).fetchall()
    nominal = [f"P({tier}) = **{p:.2f}**" for tier, p, is_nominal in tiers if is_nominal]
    others = [f"{tier} {p:.2f}" for tier, p, is_nominal in tiers if not is_nominal]
    return (
        f"{name} is ranked **{rank}**; its median rank is {median} and in 90 % of the draws it "
        f"ranks **{p05}–{p95}** (IQR {iqr}); {', '.join(nominal)}"
        + (f" (other tiers: {', '.join(others)})" if others else "")
        + "."
    )


def example_lines(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The worked example (README "How sure is a rank?"), read from the marts."""
    present = con.execute(
        "select count(*), max(n_draws) from marts.fct_rank_uncertainty where framework_id = ?",
        [EXAMPLE_FRAMEWORK],
    ).fetchone()
    if not present[0]:
        return []
    # The least sure tier among the top 30: the unit with the lowest P(nominal tier).
    unsure = con.execute(
        """
        select probabilities.unit_id
        from marts.fct_tier_probabilities as probabilities
        inner join marts.fct_rank_uncertainty as ranks
            on probabilities.framework_id = ranks.framework_id
            and probabilities.unit_id = ranks.unit_id
        where probabilities.framework_id = ? and probabilities.is_nominal_tier
            and ranks.nominal_rank <= 30 and probabilities.unit_id != ?
        order by probabilities.probability, ranks.nominal_rank
        limit 1
    """,
        [EXAMPLE_FRAMEWORK, EXAMPLE_SURE_UNIT],
    ).fetchone()
    sobol = con.execute(
        """
        select input_group, s1, s1_conf, st, st_conf from marts.fct_sensitivity_indices
        where framework_id = ? order by st desc, input_group
    """,
        [EXAMPLE_FRAMEWORK],
    ).fetchall()
    influence = con.execute(
        """
        select node_code, name_zh, nominal_weight, effective_weight, pearson_correlation
        from marts.fct_weight_influence where framework_id = ? order by node_code
    """,
        [EXAMPLE_FRAMEWORK],
    ).fetchall()
    lines = [
        f"Example: {EXAMPLE_FRAMEWORK}, {present[1]:,} draws (SYNTHETIC sample).",
        "- " + unit_sentence(con, EXAMPLE_SURE_UNIT),
    ]
    if unsure:
        lines.append("- " + unit_sentence(con, unsure[0]))
    if sobol:
        lines.append(
            "- Sobol indices of the mean absolute rank shift (95 % bootstrap half-widths): "
            + "; ".join(
                f"{group} S1 = {s1:.2f} ± {s1_conf:.2f}, ST = {st:.2f} ± {st_conf:.2f}"
                for group, s1, s1_conf, st, st_conf in sobol
            )
            + "."
        )
    if influence:
        lines.append(
            "- Nominal → effective weight of each pillar (r with the composite): "
            + "; ".join(
                f"{code} {name} {nominal:.2f} → {effective:.3f} (r = {r:.2f})"
                for code, name, nominal, effective, r in influence
            )
            + "."
        )
    return lines


def write_readme(con: duckdb.DuckDBPyConnection, readme: Path) -> None:
    """Replace README's example block (between README_START and README_END) by the marts'."""
    lines = example_lines(con)
    if not lines:
        raise SystemExit(f"{EXAMPLE_FRAMEWORK} has no uncertainty marts: run `make uncertainty`")
    text = readme.read_text(encoding="utf-8")
    block = re.compile(re.escape(README_START) + ".*?" + re.escape(README_END), re.DOTALL)
    if not block.search(text):
        raise SystemExit(f"{readme}: no block {README_START} … {README_END}")
    replacement = "\n".join([README_START, *lines, README_END])
    readme.write_text(block.sub(lambda _: replacement, text), encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    default = os.environ.get("DCI_DUCKDB_PATH", "warehouse/digital_city_index.duckdb")
    parser.add_argument("--warehouse", type=Path, default=REPO / default)
    parser.add_argument("--readme", type=Path, help="rewrite this README's example block")
    args = parser.parse_args()
    con = duckdb.connect(str(args.warehouse), read_only=True)
    try:
        if args.readme:
            write_readme(con, args.readme)
        else:
            print_summary(con)
    finally:
        con.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
