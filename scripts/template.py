"""Write a ready raw-value CSV for one framework: every leaf's row with code and name, to fill in.

    make template FRAMEWORK=h3c_dei_2021__city [UNITS="锦州 景德镇"] \
        [OUT=data/raw/h3c_dei_2021__city.csv]

Columns are the raw-value contract (docs/engine.md §1): `unit, node_code, indicator, value, note`.
`indicator` is the leaf's name as the catalog prints it, so a row moved to another framework's
file is refused; `note` gives the English name, the measure, its unit and the plausible range
(a value outside it is refused). With UNITS the block of leaves is repeated once per unit;
without, `unit` is left empty to fill. Names come from the built warehouse (`make run` first).
Never overwrites a file.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import os
import sys
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parents[1]


def leaves(warehouse: Path, framework_id: str) -> list[dict]:
    catalog_path = REPO / "seeds" / "catalog" / f"indicator_catalog__{framework_id}.csv"
    if not catalog_path.exists():
        known = sorted(
            path.stem.removeprefix("indicator_catalog__")
            for path in (REPO / "seeds" / "catalog").glob("indicator_catalog__*.csv")
        )
        raise SystemExit(f"unknown framework {framework_id!r}; one of: {', '.join(known)}")
    if not warehouse.exists():
        raise SystemExit(f"no warehouse at {warehouse}: run `make run` first")
    with contextlib.closing(duckdb.connect(str(warehouse), read_only=True)) as con:
        names = {
            node_code: (name_zh, name_en)
            for node_code, name_zh, name_en in con.execute(
                "select node_code, name_zh, name_en from marts.dim_framework_nodes"
                " where framework_id = ? and is_leaf",
                [framework_id],
            ).fetchall()
        }
    with catalog_path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    # The leaf's names come from the framework's tree (macros/frameworks/), the catalog holds
    # only how it is measured.
    return [
        dict(
            row,
            name_zh=names.get(row["node_code"], ("", ""))[0],
            name_en=names.get(row["node_code"], ("", ""))[1],
        )
        for row in rows
    ]


def template_rows(catalog: list[dict], units: list[str]) -> list[list[str]]:
    rows = [["unit", "node_code", "indicator", "value", "note"]]
    for unit in units or [""]:
        for leaf in catalog:
            note = (
                f"{leaf['name_en']} | {leaf['measure_zh']} / {leaf['measure_en']} "
                f"| unit {leaf['unit']} "
                f"| plausible [{leaf['plausible_min']}, {leaf['plausible_max']}]"
            )
            rows.append([unit, leaf["node_code"], leaf["name_zh"], "", note])
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("framework_id")
    parser.add_argument(
        "--units", default="", help="space-separated unit names or ids (one block each)"
    )
    parser.add_argument("--out", type=Path, help="default: data/raw/<framework_id>.csv")
    args = parser.parse_args(argv)
    warehouse = REPO / os.environ.get("DCI_DUCKDB_PATH", "warehouse/digital_city_index.duckdb")
    catalog = leaves(warehouse, args.framework_id)
    out = args.out or REPO / "data" / "raw" / f"{args.framework_id}.csv"
    if out.exists():
        print(f"{out} exists; not overwriting it (OUT=another/path.csv)", file=sys.stderr)
        return 1
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(
            template_rows(catalog, args.units.split())
        )
    print(
        f"wrote {out}: {len(catalog)} leaves × {max(len(args.units.split()), 1)} unit(s); "
        "fill in `value`" + ("" if args.units else " and `unit`")
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
