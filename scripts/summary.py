"""Print a short summary of the built warehouse: what each mart holds, per framework.

Opens the DuckDB file read-only, so it is safe to run while BI tools are connected.
Usage: python scripts/summary.py [path]   (default: $DCI_DUCKDB_PATH or the warehouse file)
"""

from __future__ import annotations

import os
import sys

import duckdb
import summary_uncertainty

DEFAULT_PATH = "warehouse/digital_city_index.duckdb"


def warehouse_path(argv: list[str]) -> str:
    if len(argv) > 1:
        return argv[1]
    return os.environ.get("DCI_DUCKDB_PATH", DEFAULT_PATH)


def main(argv: list[str]) -> int:
    path = warehouse_path(argv)
    if not os.path.exists(path):
        print(f"no warehouse at {path}: run `make run` first", file=sys.stderr)
        return 1
    con = duckdb.connect(path, read_only=True)
    marts = con.execute(
        """
        select table_name, estimated_size
        from duckdb_tables()
        where schema_name = 'marts'
        order by table_name
        """
    ).fetchall()
    print(f"warehouse: {path}")
    print(f"schema marts: {len(marts)} tables")
    for name, _ in marts:
        n_rows = con.execute(f'select count(*) from marts."{name}"').fetchone()[0]
        print(f"  {name:<32} {n_rows:>7} rows")
    print()
    print(
        f"{'framework':<26} {'units':>5} {'tables':>6} {'nodes':>5} {'leaves':>6}  "
        "leader (published)"
    )
    rows = con.execute(
        """
        select
            frameworks.framework_id,
            frameworks.n_units_ranked,
            frameworks.n_ranking_tables,
            (select count(*) from marts.dim_framework_nodes as nodes
             where nodes.framework_id = frameworks.framework_id),
            frameworks.n_leaf_indicators,
            (select string_agg(
                        results.name_as_printed || coalesce(' ' || results.published_score, ''),
                        ', ' order by results.table_id)
             from marts.fct_published_results as results
             where results.framework_id = frameworks.framework_id
               and results.published_rank = 1
               and results.table_id in (
                   select table_id from marts.dim_ranking_tables as tables
                   where tables.framework_id = frameworks.framework_id
                   order by tables.n_rows desc limit 2))
        from marts.dim_frameworks as frameworks
        order by frameworks.framework_id
        """
    ).fetchall()
    for framework_id, n_units, n_tables, n_nodes, n_leaves, leader in rows:
        print(
            f"{framework_id:<26} {n_units:>5} {n_tables:>6} {n_nodes:>5} {n_leaves or 0:>6}  "
            f"{leader or '-'}"
        )
    print()
    print(
        "computed index (marts.fct_index_scores) — `synthetic` rows come from the calibrated "
        "SAMPLE, not measured data:"
    )
    print(
        f"{'framework':<26} {'units':>5} {'inputs':>9} {'=score':>7} {'=rank':>6} {'=tier':>6}  "
        "top unit"
    )
    rows = con.execute(
        """
        select
            framework_id,
            count(*),
            case when bool_and(is_synthetic) then 'synthetic'
                 when bool_or(is_synthetic) then 'mixed'
                 else 'user' end,
            count(*) filter (where score_difference = 0) || '/' || count(published_score),
            count(*) filter (where rank_difference = 0) || '/' || count(published_rank),
            count(*) filter (where is_tier_as_published) || '/' || count(published_tier),
            arg_min(unit_id || ' ' || round(composite_score, 2), composite_rank)
        from marts.fct_index_scores
        group by framework_id
        order by framework_id
        """
    ).fetchall()
    for framework_id, n_units, inputs, scores, ranks, tiers, top in rows:
        print(
            f"{framework_id:<26} {n_units:>5} {inputs:>9} {scores:>7} {ranks:>6} {tiers:>6}  {top}"
        )
    print()
    print_scoring(con)
    n_discrepancies = con.execute("select count(*) from marts.fct_source_discrepancies").fetchone()[
        0
    ]
    print()
    print(f"{n_discrepancies} recorded source discrepancies (marts.fct_source_discrepancies)")
    # Uncertainty analysis (README "How sure is a rank?"), if built.
    print()
    summary_uncertainty.print_summary(con)
    con.close()
    return 0


def print_scoring(con) -> None:
    """Per framework: units given, scored, imputed (scored with missing leaves), not scored and
    why, and the top five by name (README "Computing scores from your own indicator values")."""
    print("scoring per framework (units given = units with at least one valid value):")
    print(
        f"{'framework':<26} {'given':>5} {'scored':>6} {'imputed':>7} {'not scored':>10}  "
        "top five (per unit level)"
    )
    rows = con.execute(
        """
        select
            scores.framework_id,
            count(*),
            count(*) filter (where scores.is_scored),
            count(*) filter (where scores.is_scored and scores.is_imputed),
            count(*) filter (where not scores.is_scored),
            string_agg(units.name_zh, ' ' order by scores.composite_rank)
                filter (where scores.composite_rank <= 5)
        from marts.fct_index_scores as scores
        inner join marts.dim_geo_units as units on scores.unit_id = units.unit_id
        group by scores.framework_id
        order by scores.framework_id
        """
    ).fetchall()
    for framework_id, given, scored, imputed, not_scored, top in rows:
        print(
            f"{framework_id:<26} {given:>5} {scored:>6} {imputed:>7} {not_scored:>10}  {top or '-'}"
        )
    unscored = con.execute(
        """
        select scores.framework_id, units.name_zh, scores.unit_id, scores.not_scored_reason
        from marts.fct_index_scores as scores
        inner join marts.dim_geo_units as units on scores.unit_id = units.unit_id
        where not scores.is_scored
        order by scores.framework_id, scores.coverage desc, scores.unit_id
        """
    ).fetchall()
    for framework_id, name_zh, unit_id, reason in unscored[:10]:
        print(f"  not scored: {framework_id} {name_zh} ({unit_id}): {reason}")
    if len(unscored) > 10:
        print(f"  … and {len(unscored) - 10} more (marts.fct_index_scores.not_scored_reason)")


if __name__ == "__main__":
    sys.exit(main(sys.argv))
