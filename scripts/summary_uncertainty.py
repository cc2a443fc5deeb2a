"""The uncertainty block of scripts/summary.py (README "How sure is a rank?").

Per framework: the top units with their 90 % rank interval drawn as a text chart, and how many
units' tier is uncertain (P(nominal tier) < 0.8), with the least certain ones.
"""

from __future__ import annotations

import duckdb

TOP_UNITS = 5
CHART_WIDTH = 24


def interval_chart(p05: int, nominal: int, p95: int, last_rank: int) -> str:
    """A rank line 1..last_rank: '-' spans P5–P95, '|' marks the nominal rank."""

    def column(rank: int) -> int:
        return min(CHART_WIDTH - 1, (rank - 1) * CHART_WIDTH // max(last_rank, 1))

    cells = [" "] * CHART_WIDTH
    for position in range(column(p05), column(p95) + 1):
        cells[position] = "-"
    cells[column(nominal)] = "|"
    return "[" + "".join(cells) + "]"


def print_summary(con: duckdb.DuckDBPyConnection) -> None:
    present = {
        row[0]
        for row in con.execute(
            "select table_name from duckdb_tables() where schema_name = 'marts'"
        ).fetchall()
    }
    if "fct_rank_uncertainty" not in present:
        print("uncertainty analysis not built (marts.fct_rank_uncertainty): run `make uncertainty`")
        return
    n_draws = con.execute("select max(n_draws) from marts.fct_rank_uncertainty").fetchone()[0]
    print(
        f"How sure is a rank? (marts.fct_rank_uncertainty, fct_tier_probabilities; {n_draws} draws of "
        "weights, aggregation, normalisation, imputation; ranks of the SYNTHETIC sample where is_synthetic)"
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
            select coalesce(uncertainty.unit_name_zh, uncertainty.unit_id), uncertainty.nominal_rank,
                   uncertainty.rank_median, uncertainty.rank_p05, uncertainty.rank_p95,
                   probabilities.probability, probabilities.tier_name_zh
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
    uncertain = con.execute("""
        select framework_id, count(*) filter (where probability < 0.8), count(*),
               string_agg(unit_id || ' ' || round(probability, 2), ', ' order by probability, unit_id)
                   filter (where probability < 0.8)
        from marts.fct_tier_probabilities
        where is_nominal_tier
        group by framework_id order by framework_id
    """).fetchall()
    for framework_id, n_uncertain, n_units, examples in uncertain:
        shown = ", ".join((examples or "").split(", ")[:3])
        print(
            f"  tier uncertain (P(nominal tier) < 0.8): {framework_id} {n_uncertain}/{n_units}"
            + (f", least certain: {shown}" if shown else "")
        )
