"""Compare two builds of the warehouse: every table of the schemas marts and reporting.

A refactoring must not change what a user reads. `dump` writes every table of `marts` (the
warehouse file) and `reporting` (the serving file beside it) to one parquet file each; `compare`
checks a second build against such a dump: the same tables, the same columns, the same rows with
the same values (floats equal to 1e-9 relative, NaN = NaN). Tables or columns a change adds are
listed, not failures: pass --allow-new to accept them.

    python scripts/compare_warehouses.py dump --warehouse before.duckdb --out target/before
    python scripts/compare_warehouses.py compare --warehouse after.duckdb --dump target/before
"""

from __future__ import annotations

import argparse
import contextlib
import sys
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
from serving_path import serving_path  # noqa: E402

SCHEMAS = {"marts": "warehouse", "reporting": "serving"}


def tables(warehouse: Path) -> dict[str, tuple[Path, str]]:
    """`schema.table` → (DuckDB file, relation) for every table of the compared schemas."""
    found = {}
    for schema, kind in SCHEMAS.items():
        path = warehouse if kind == "warehouse" else serving_path(warehouse)
        if not path.exists():
            raise SystemExit(f"{path}: no such file")
        with contextlib.closing(duckdb.connect(str(path), read_only=True)) as con:
            names = con.execute(
                "select table_name from information_schema.tables "
                "where table_schema = ? and table_type = 'BASE TABLE' order by table_name",
                [schema],
            ).fetchall()
        for (name,) in names:
            found[f"{schema}.{name}"] = (path, f'"{schema}"."{name}"')
    return found


def dump(warehouse: Path, out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    for name, (path, relation) in tables(warehouse).items():
        with contextlib.closing(duckdb.connect(str(path), read_only=True)) as con:
            con.execute(
                f"copy (select * from {relation}) to '{out / name}.parquet' (format parquet)"
            )
    print(f"dumped {len(list(out.glob('*.parquet')))} tables to {out}")
    return 0


def text(value: object) -> str:
    """A cell as comparable text; every kind of null is the same null."""
    return "<null>" if value is None or value is pd.NA or value != value else str(value)


def rounded(value: object) -> str:
    """A float cell rounded to 6 significant digits, for sorting only."""
    return "<null>" if value is None or value != value else f"{value:.6g}"


def differences(con: duckdb.DuckDBPyConnection, before: str, after: str) -> str | None:
    """None when the two relations hold the same rows, else what differs.

    Rows are matched after sorting on every column (floats rounded to 6 significant digits for
    the sort only); floats then compare equal within 1e-9 relative (a change of summation order
    moves the last bits), everything else exactly. NaN equals NaN, null equals null.
    """
    types = dict(row[:2] for row in con.execute(f"describe select * from {before}").fetchall())
    after_types = dict(row[:2] for row in con.execute(f"describe select * from {after}").fetchall())
    missing = [column for column in types if column not in after_types]
    if missing:
        return f"columns gone: {', '.join(missing)}"
    columns = list(types)
    floats = [c for c in columns if types[c] in ("DOUBLE", "FLOAT", "REAL")]
    frames = []
    for relation in (before, after):
        quoted = ", ".join(f'"{c}"' for c in columns)
        frame = con.execute(f"select {quoted} from {relation}").df()
        sort_keys = pd.DataFrame(
            {column: frame[column].map(rounded if column in floats else text) for column in columns}
        )
        order = sort_keys.sort_values(columns, kind="stable").index
        frames.append(frame.loc[order].reset_index(drop=True))
    old, new = frames
    if len(old) != len(new):
        return f"rows {len(old)} → {len(new)}"
    differing = set()
    for column in columns:
        if column in floats:
            a, b = old[column].to_numpy(float), new[column].to_numpy(float)
            same = np.isclose(a, b, rtol=1e-9, atol=1e-12) | (np.isnan(a) & np.isnan(b))
        else:
            same = (old[column].map(text) == new[column].map(text)).to_numpy()
        if not same.all():
            differing.add(f"{column} ({int((~same).sum())} rows)")
    if differing:
        return f"{len(old)} rows; values differ in {', '.join(sorted(differing))}"
    return None


def compare(warehouse: Path, dumped: Path, allow_new: bool) -> int:
    after = tables(warehouse)
    before = {path.stem: path for path in sorted(dumped.glob("*.parquet"))}
    failures, notes = [], []
    with contextlib.closing(duckdb.connect()) as con:
        for name, parquet in before.items():
            if name not in after:
                failures.append(f"{name}: table gone")
                continue
            path, relation = after[name]
            con.execute(f"attach if not exists '{path}' as \"{path.stem}\" (read_only)")
            current = f'"{path.stem}".{relation}'
            diff = differences(con, f"read_parquet('{parquet}')", current)
            if diff:
                failures.append(f"{name}: {diff}")
            new_columns = sorted(
                {row[0] for row in con.execute(f"describe select * from {current}").fetchall()}
                - {
                    row[0]
                    for row in con.execute(
                        f"describe select * from read_parquet('{parquet}')"
                    ).fetchall()
                }
            )
            if new_columns:
                notes.append(f"{name}: new columns {', '.join(new_columns)}")
        notes += [f"{name}: new table" for name in sorted(set(after) - set(before))]
    for line in failures:
        print(f"DIFFERENT {line}")
    for line in notes:
        print(f"{'new' if allow_new else 'NOT ALLOWED'} {line}")
    same = len(before) - len(failures)
    print(f"{same} of {len(before)} tables identical; {len(notes)} additions")
    return 1 if failures or (notes and not allow_new) else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    dump_parser = commands.add_parser("dump", help="write every marts/reporting table to parquet")
    dump_parser.add_argument("--warehouse", type=Path, required=True)
    dump_parser.add_argument("--out", type=Path, required=True)
    compare_parser = commands.add_parser("compare", help="compare a build with a dump")
    compare_parser.add_argument("--warehouse", type=Path, required=True)
    compare_parser.add_argument("--dump", type=Path, required=True)
    compare_parser.add_argument("--allow-new", action="store_true")
    args = parser.parse_args()
    if args.command == "dump":
        return dump(args.warehouse, args.out)
    return compare(args.warehouse, args.dump, args.allow_new)


if __name__ == "__main__":
    sys.exit(main())
