"""File-level checks and documented coercions for raw indicator CSVs (and reference seeds).

The refresh runs this before dbt. It owns what dbt cannot see once DuckDB has read a file —
encoding, byte-order marks, empty files, the header — and the formatting of numbers people type;
dbt owns the meaning of each value (int_indicator_values_checked: numbers, plausible ranges, units,
indicators, duplicates), so the two never check the same rule.

Raw indicator files (a folder, one `<framework_id>.csv` each) are copied to an output folder,
coerced where a careful engineer would, and every coercion is logged with file, line and column:

| input | what happens |
|---|---|
| UTF-8 byte-order mark | stripped (coerced, logged) |
| GBK / GB18030 file (not valid UTF-8) | decoded as GB18030, written as UTF-8 (coerced, logged) |
| full-width characters (９２.５, ４５％) | NFKC-normalised to ASCII (coerced, logged) |
| thousands separators (1,234.5) | removed (coerced, logged) |
| percent sign (45%) | removed when the catalog unit of the indicator is `percent`; refused otherwise |
| empty file, header only, missing or unknown column, undecodable bytes | refused |

Reference seeds are checked, never rewritten: a seed with a BOM, a non-UTF-8 encoding, no header
or no rows is refused (dbt would misread it).

Usage: python scripts/check_inputs.py RAW_DIR [--out DIR]   (exit 0 ok, 10 rejected)
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
REQUIRED_COLUMNS = ("unit", "node_code", "value")
OPTIONAL_COLUMNS = ("indicator", "note", "provenance")
# units.csv beside the raw files declares the user's own units (docs/engine.md §1); the engine
# checks its cells (int_user_units_checked), this only checks the file and its header.
UNITS_FILE = "units.csv"
UNITS_REQUIRED_COLUMNS = ("unit_id", "unit_type", "name_zh", "name_en")
UNITS_OPTIONAL_COLUMNS = ("parent_unit_id", "province_zh", "longitude", "latitude")
THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
EXIT_OK, EXIT_REJECTED = 0, 10


@dataclass
class Report:
    """What the check found: coercions applied (warnings) and reasons to refuse (errors)."""

    coercions: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def coerce(self, where: str, what: str) -> None:
        self.coercions.append(f"{where}: coerced: {what}")

    def refuse(self, where: str, what: str) -> None:
        self.errors.append(f"{where}: rejected: {what}")


def catalog_units(repo: Path = REPO) -> dict[tuple[str, str], str]:
    """(framework_id, node_code) → unit, from the indicator catalog seeds."""
    units = {}
    for path in sorted((repo / "seeds" / "catalog").glob("indicator_catalog__*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                units[(row["framework_id"], row["node_code"])] = row["unit"]
    return units


def decode(path: Path, raw: bytes, report: Report, allow_coercion: bool) -> str | None:
    """Bytes → text; a BOM or a GB18030 file is coerced (raw files) or refused (seeds)."""
    name = str(path)
    if raw.startswith(b"\xef\xbb\xbf"):
        if not allow_coercion:
            report.refuse(f"{name}:1", "starts with a UTF-8 byte-order mark; save it as UTF-8 without BOM")
            return None
        report.coerce(f"{name}:1", "removed the UTF-8 byte-order mark")
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as utf8_error:
        line = raw[: utf8_error.start].count(b"\n") + 1
        if not allow_coercion:
            report.refuse(f"{name}:{line}", f"not UTF-8 ({utf8_error.reason}); save it as UTF-8")
            return None
        try:
            text = raw.decode("gb18030")
        except UnicodeDecodeError:
            report.refuse(f"{name}:{line}", "neither UTF-8 nor GBK/GB18030; save it as UTF-8")
            return None
        report.coerce(f"{name}", "decoded as GBK/GB18030 (not valid UTF-8) and re-encoded as UTF-8")
        return text


def coerce_value(value: str, unit: str | None, where: str, report: Report) -> str | None:
    """Normalise how a number is typed; None (and an error) when it cannot be read safely."""
    normalised = unicodedata.normalize("NFKC", value).strip()
    if normalised != value.strip():
        report.coerce(where, f"full-width characters {value!r} → {normalised!r}")
    if THOUSANDS.match(normalised):
        plain = normalised.replace(",", "")
        report.coerce(where, f"removed thousands separators {normalised!r} → {plain!r}")
        normalised = plain
    if normalised.endswith("%"):
        if unit != "percent":
            report.refuse(where, f"{value!r} has a percent sign but the indicator's unit is {unit!r}, not percent")
            return None
        plain = normalised[:-1].strip()
        report.coerce(where, f"removed the percent sign {normalised!r} → {plain!r} (unit is percent)")
        normalised = plain
    return normalised


def check_raw_file(path: Path, out_dir: Path | None, units: dict, report: Report) -> None:
    raw = path.read_bytes()
    if not raw.strip():
        report.refuse(f"{path}:1", "empty file (expected a header `unit,node_code,value[,note]` and rows)")
        return
    text = decode(path, raw, report, allow_coercion=True)
    if text is None:
        return
    rows = list(csv.reader(io.StringIO(text)))
    header = [column.strip() for column in rows[0]]
    required, optional = REQUIRED_COLUMNS, OPTIONAL_COLUMNS
    if path.name == UNITS_FILE:
        required, optional = UNITS_REQUIRED_COLUMNS, UNITS_OPTIONAL_COLUMNS
    missing = [column for column in required if column not in header]
    unknown = [column for column in header if column not in required + optional]
    if missing:
        report.refuse(f"{path}:1", f"missing column(s) {', '.join(missing)}; header is {','.join(header)}")
    if unknown:
        report.refuse(
            f"{path}:1",
            f"unknown column(s) {', '.join(unknown)}; allowed: {', '.join(required + optional)}",
        )
    if missing or unknown:
        return
    if len(rows) < 2 or all(not any(cell.strip() for cell in row) for row in rows[1:]):
        report.refuse(f"{path}:2", "header only: the file has no data rows")
        return
    if path.name == UNITS_FILE:
        if out_dir is not None and not report.errors:
            out_dir.mkdir(parents=True, exist_ok=True)
            (out_dir / path.name).write_text(text, encoding="utf-8")
        return
    framework_id = path.stem
    value_index, node_index = header.index("value"), header.index("node_code")
    coerced_rows = [header]
    for line_no, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(header):
            report.refuse(f"{path}:{line_no}", f"{len(row)} fields, header has {len(header)}")
            continue
        unit = units.get((framework_id, row[node_index].strip()))
        value = coerce_value(row[value_index], unit, f"{path}:{line_no} value", report)
        if value is not None:
            row = list(row)
            row[value_index] = value
        coerced_rows.append(row)
    if out_dir is not None and not report.errors:
        out_dir.mkdir(parents=True, exist_ok=True)
        with (out_dir / path.name).open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle, lineterminator="\n").writerows(coerced_rows)


def check_seed_file(path: Path, report: Report) -> None:
    raw = path.read_bytes()
    if not raw.strip():
        report.refuse(f"{path}:1", "empty seed file")
        return
    text = decode(path, raw, report, allow_coercion=False)
    if text is not None and len(text.strip().splitlines()) < 1:
        report.refuse(f"{path}:1", "seed has no header")


def check_inputs(raw_dir: Path, out_dir: Path | None = None, repo: Path = REPO) -> Report:
    """Check every raw indicator file in raw_dir (writing coerced copies to out_dir) and every seed."""
    report = Report()
    files = sorted(raw_dir.glob("*.csv"))
    if not files:
        report.refuse(str(raw_dir), "no raw indicator files (*.csv)")
    units = catalog_units(repo)
    for path in files:
        check_raw_file(path, out_dir, units, report)
    for path in sorted((repo / "seeds").rglob("*.csv")):
        check_seed_file(path, report)
    return report


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Check raw indicator CSVs and reference seeds.")
    parser.add_argument("raw_dir", type=Path)
    parser.add_argument("--out", type=Path, help="write coerced copies of the raw files here")
    args = parser.parse_args(argv)
    report = check_inputs(args.raw_dir, args.out)
    for line in report.coercions + report.errors:
        print(line)
    return EXIT_REJECTED if report.errors else EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
