"""Helpers shared by the tests that compare warehouses."""

from __future__ import annotations

import hashlib
import math
from pathlib import Path

import duckdb

# Tolerance for comparing warehouses built from different runs of the same logic where floats
# may legitimately differ (exact=False); the engine's own sums are ordered, so a rebuild of the
# same input must match bit for bit (exact=True).
FLOAT_TOLERANCE = 1e-9


def marts_snapshot(database: Path) -> dict[str, list[tuple]]:
    """Every mart's rows, sorted by their non-float columns (then floats), for comparison."""
    con = duckdb.connect(str(database), read_only=True)
    try:
        tables = [
            row[0]
            for row in con.execute(
                "select table_name from duckdb_tables() where schema_name = 'marts' "
                "order by table_name"
            ).fetchall()
        ]

        def sort_key(row: tuple) -> tuple:
            exact = tuple(
                "" if value is None else str(value) for value in row if not isinstance(value, float)
            )
            return exact, tuple(round(value, 3) for value in row if isinstance(value, float))

        return {
            table: sorted(con.execute(f'select * from marts."{table}"').fetchall(), key=sort_key)
            for table in tables
        }
    finally:
        con.close()


def same_value(left, right, exact: bool = False) -> bool:
    if isinstance(left, float) and isinstance(right, float) and not exact:
        return math.isclose(left, right, rel_tol=FLOAT_TOLERANCE, abs_tol=FLOAT_TOLERANCE)
    return left == right


def mart_differences(
    left: dict[str, list[tuple]], right: dict[str, list[tuple]], limit: int = 3, exact: bool = False
) -> dict:
    """{table: [first differing row pairs]} — empty when the two snapshots hold the same data."""
    differences = {}
    for table in sorted(set(left) | set(right)):
        rows_left, rows_right = left.get(table, []), right.get(table, [])
        if len(rows_left) != len(rows_right):
            differences[table] = [f"{len(rows_left)} rows vs {len(rows_right)}"]
            continue
        pairs = [
            (row_left, row_right)
            for row_left, row_right in zip(rows_left, rows_right, strict=True)
            if len(row_left) != len(row_right)
            or not all(same_value(a, b, exact) for a, b in zip(row_left, row_right, strict=True))
        ]
        if pairs:
            differences[table] = pairs[:limit]
    return differences


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
