"""The calibration rule from Python: run macros/calibration/calibration_verdicts.sql in DuckDB.

The rule (rounded score equals the printed one; rank equal unless a recorded score_rank_order
discrepancy; tier equal unless a recorded tier_threshold discrepancy) is stated once, in that dbt
macro; its singular test applies it to the dbt engine. Here it is rendered with plain Jinja (the
macro uses no dbt context) for the generator's verification and the pytest on the committed
sample, so all three apply the same SQL.
"""

from __future__ import annotations

import duckdb
import jinja2
import pandas as pd

from .settings import REPO

RULE_MACRO = REPO / "macros/calibration/calibration_verdicts.sql"
VERDICT_COLUMNS = ["implied_rank", "score_verdict", "rank_verdict", "tier_verdict", "failed_check"]


def rule_sql(computed: str, printed_scores: str, discrepancies: str) -> str:
    """The macro rendered over three relation names."""
    macro = jinja2.Environment().from_string(RULE_MACRO.read_text(encoding="utf-8")).module
    return str(macro.calibration_verdicts(computed, printed_scores, discrepancies))


def calibration_verdicts(
    computed: pd.DataFrame, printed_scores: pd.DataFrame, discrepancies: pd.DataFrame
) -> pd.DataFrame:
    """`computed` (same rows, same order, same index) with the rule's verdict columns added.

    computed: framework_id, table_id, unit_id, name_as_printed, published_score, published_rank,
    published_tier, composite_score_rounded, composite_rank, tier_code (NaN / None = not printed
    or not computed); printed_scores: table_id, unit_id, row_order, published_score,
    published_rank of the score tables; discrepancies: framework_id, table_id, check_name,
    subject.
    """
    con = duckdb.connect()
    try:
        con.register("computed_rows", computed.reset_index(drop=True).reset_index(names="row_pos"))
        con.register("printed_scores", printed_scores)
        con.register("discrepancies", discrepancies)
        sql = rule_sql("computed_rows", "printed_scores", "discrepancies")
        verdicts = con.sql(f"select row_pos, {', '.join(VERDICT_COLUMNS)} from ({sql})").df()
    finally:
        con.close()
    verdicts = verdicts.sort_values("row_pos")
    return computed.assign(**{c: verdicts[c].to_numpy() for c in VERDICT_COLUMNS})
