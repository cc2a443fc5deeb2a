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


def differences(con: duckdb.DuckDBPyConnection, before: str, after: str) -> str | None:
    """None when the two relations hold the same multiset of rows, else what differs."""
    types = dict(row[:2] for row in con.execute(f"describe select * from {before}").fetchall())
    columns = list(types)
    after_columns = [row[0] for row in con.execute(f"describe select * from {after}").fetchall()]
    missing = [c for c in columns if c not in after_columns]
    if missing:
        return f"columns gone: {', '.join(missing)}"

    def normalised(relation: str) -> str:
        # Floats are rounded to 9 significant digits so that a change of summation order in
        # the last bit does not count; everything else is compared exactly (as text).
        exprs = []
        for column in columns:
            quoted = f'"{column}"'
            if types[column] in ("DOUBLE", "FLOAT", "REAL"):
                exprs.append(
                    f"case when isnan({quoted}) then 'nan' "
                    f"else printf('%.9g', {quoted}::double) end as {quoted}"
                )
            else:
                exprs.append(f"{quoted}::varchar as {quoted}")
        return f"select {', '.join(exprs)} from {relation}"

    n_before, n_after = (
        con.execute(f"select count(*) from {r}").fetchone()[0] for r in (before, after)
    )
    only_before = con.execute(
        f"select count(*) from ({normalised(before)} except all {normalised(after)})"
    ).fetchone()[0]
    only_after = con.execute(
        f"select count(*) from ({normalised(after)} except all {normalised(before)})"
    ).fetchone()[0]
    if n_before == n_after and only_before == 0 and only_after == 0:
        return None
    return f"rows {n_before} → {n_after}; {only_before} only before, {only_after} only after"


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
