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
| percent sign (45%) | removed when the indicator's catalog unit is `percent`; else refused |
| empty file, header only, missing or unknown column, undecodable bytes | refused |
| duplicate column (`value` twice) or a column name in another case (`Value`) | refused |
| a file name in another case (`zone.CSV`, `H3C_…csv`) or not a framework_id | refused, once |
| a named pipe, device, folder, or a symlink leaving the raw folder | refused without being opened |
| a framework in `manifest.txt` without its file, or a file the manifest does not list | refused |

Line numbers are the physical lines an editor shows (blank lines and quoted line breaks count):
each staged copy carries them in a `source_line` column that stg_raw__file_lines reads.
`units.csv` (new units, read by the engine) gets the same file-level checks and is staged as is.

Reference seeds are checked, never rewritten: a seed with a BOM, a non-UTF-8 encoding, no header
or no rows is refused (dbt would misread it).

Usage: python scripts/check_inputs.py RAW_DIR [--out DIR]   (exit 0 ok, 10 rejected)
"""

from __future__ import annotations

import argparse
import csv
import io
import os
import re
import stat
import sys
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
REQUIRED_COLUMNS = ("unit", "node_code", "value")
# `indicator` (the leaf's name) is checked against node_code by the engine (docs/engine.md §1).
OPTIONAL_COLUMNS = ("indicator", "note", "provenance")
# units.csv beside the raw files declares the user's own units; the engine checks its cells
# (int_user_units_checked), this only checks the file and its header.
UNITS_FILE = "units.csv"
UNITS_REQUIRED = ("unit_id", "unit_type", "name_zh", "name_en")
UNITS_OPTIONAL = ("parent_unit_id", "province_zh", "longitude", "latitude")
# Optional list of the frameworks a raw folder provides, one framework_id per line (# comments).
MANIFEST_FILE = "manifest.txt"
LINE_COLUMN = "source_line"  # added to staged copies: the physical line of each row
THOUSANDS = re.compile(r"^[+-]?\d{1,3}(,\d{3})+(\.\d+)?$")
EXIT_OK, EXIT_REJECTED = 0, 10


@dataclass
class Report:
    """What the check found: coercions applied (warnings) and reasons to refuse (errors)."""

    coercions: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    frameworks: list[str] = field(default_factory=list)  # framework files the raw folder provides
    manifest: list[str] | None = None  # frameworks manifest.txt lists (None: no manifest)

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
            report.refuse(
                f"{name}:1", "starts with a UTF-8 byte-order mark; save it as UTF-8 without BOM"
            )
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
            report.refuse(
                where,
                f"{value!r} has a percent sign but the indicator's unit is {unit!r}, not percent",
            )
            return None
        plain = normalised[:-1].strip()
        report.coerce(
            where, f"removed the percent sign {normalised!r} → {plain!r} (unit is percent)"
        )
        normalised = plain
    return normalised


def known_frameworks(repo: Path = REPO) -> list[str]:
    with (repo / "seeds" / "reference" / "frameworks.csv").open(
        encoding="utf-8", newline=""
    ) as handle:
        return [row["framework_id"] for row in csv.DictReader(handle)]


def read_regular_file(path: Path, raw_dir: Path, report: Report) -> bytes | None:
    """The bytes of path if it is a regular file inside raw_dir. Pipes, devices, folders and links
    that leave the folder are refused from their metadata alone: they are never opened or read."""
    kind = path.lstat()
    if stat.S_ISLNK(kind.st_mode):
        target = Path(os.path.realpath(path))
        if not target.is_relative_to(Path(os.path.realpath(raw_dir))):
            report.refuse(
                f"{path}",
                "symbolic link leaving the raw folder; not read (copy the file in instead)",
            )
            return None
        kind = target.stat()
    if not stat.S_ISREG(kind.st_mode):
        what = {
            stat.S_IFIFO: "a named pipe",
            stat.S_IFCHR: "a character device",
            stat.S_IFBLK: "a block device",
            stat.S_IFDIR: "a folder",
            stat.S_IFSOCK: "a socket",
        }.get(stat.S_IFMT(kind.st_mode), "not a regular file")
        report.refuse(f"{path}", f"{what}, not a regular file; not read")
        return None
    # O_NONBLOCK: should the file have been swapped for a pipe since lstat, open must not hang.
    descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    with os.fdopen(descriptor, "rb") as handle:
        if not stat.S_ISREG(os.fstat(descriptor).st_mode):
            report.refuse(
                f"{path}", "changed into a non-regular file while being checked; not read"
            )
            return None
        return handle.read()


def check_header(
    path: Path, header: list[str], required: tuple, optional: tuple, report: Report
) -> bool:
    """Exactly the contract's column names: none missing, unknown, repeated or in another case."""
    allowed = required + optional
    problems = []
    seen: dict[str, int] = {}
    for position, column in enumerate(header, start=1):
        folded = column.lower()
        if folded in seen:
            problems.append(f"column {column!r} (column {position}) repeats column {seen[folded]}")
        seen.setdefault(folded, position)
        if column != folded and folded in allowed:
            problems.append(f"column {column!r} must be written {folded!r}")
    missing = [column for column in required if column not in header]
    unknown = [column for column in header if column.lower() not in allowed]
    if missing:
        problems.append(f"missing column(s) {', '.join(missing)}; header is {','.join(header)}")
    if unknown:
        problems.append(f"unknown column(s) {', '.join(unknown)}; allowed: {', '.join(allowed)}")
    for problem in problems:
        report.refuse(f"{path}:1", problem)
    return not problems


def rows_with_lines(text: str):
    """(physical line, row) for every non-blank CSV record; a quoted line break counts as a line."""
    reader = csv.reader(io.StringIO(text))
    line = 1
    for row in reader:
        if any(cell.strip() for cell in row):
            yield line, row
        line = reader.line_num + 1


def check_raw_file(
    path: Path, data: bytes, out_dir: Path | None, units: dict, report: Report
) -> None:
    if not data.strip():
        report.refuse(
            f"{path}:1", "empty file (expected a header `unit,node_code,value[,note]` and rows)"
        )
        return
    text = decode(path, data, report, allow_coercion=True)
    if text is None:
        return
    records = list(rows_with_lines(text))
    header = [column.strip() for column in records[0][1]] if records else []
    if not check_header(path, header, REQUIRED_COLUMNS, OPTIONAL_COLUMNS, report):
        return
    if len(records) < 2:
        report.refuse(f"{path}:2", "header only: the file has no data rows")
        return
    framework_id = path.stem
    value_index = header.index("value")
    node_index = header.index("node_code")
    errors_before = len(report.errors)
    coerced_rows = [header + [LINE_COLUMN]]
    for line_no, row in records[1:]:
        if len(row) != len(header):
            report.refuse(f"{path}:{line_no}", f"{len(row)} fields, header has {len(header)}")
            continue
        unit = units.get((framework_id, row[node_index].strip()))
        value = coerce_value(row[value_index], unit, f"{path}:{line_no} value", report)
        if value is not None:
            row = list(row)
            row[value_index] = value
        coerced_rows.append(row + [str(line_no)])
    if out_dir is not None and len(report.errors) == errors_before:
        out_dir.mkdir(parents=True, exist_ok=True)
        with (out_dir / path.name).open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle, lineterminator="\n").writerows(coerced_rows)


def check_units_file(path: Path, data: bytes, out_dir: Path | None, report: Report) -> None:
    """units.csv: file-level checks only (the engine checks each row); staged decoded, unchanged."""
    if not data.strip():
        report.refuse(
            f"{path}:1", f"empty file (expected a header {','.join(UNITS_REQUIRED)} and rows)"
        )
        return
    text = decode(path, data, report, allow_coercion=True)
    if text is None:
        return
    first = next(rows_with_lines(text), (1, []))[1]
    if check_header(
        path, [column.strip() for column in first], UNITS_REQUIRED, UNITS_OPTIONAL, report
    ):
        if out_dir is not None:
            out_dir.mkdir(parents=True, exist_ok=True)
            (out_dir / path.name).write_text(text, encoding="utf-8")


def read_manifest(path: Path, data: bytes, frameworks: list[str], report: Report) -> list[str]:
    listed = []
    for line_no, line in enumerate(data.decode("utf-8", errors="replace").splitlines(), start=1):
        entry = line.split("#", 1)[0].strip()
        if entry and entry not in frameworks:
            report.refuse(
                f"{path}:{line_no}",
                f"{entry!r} is not a framework_id (known: {', '.join(frameworks)})",
            )
        elif entry:
            listed.append(entry)
    return listed


def check_seed_file(path: Path, report: Report) -> None:
    raw = path.read_bytes()
    if not raw.strip():
        report.refuse(f"{path}:1", "empty seed file")
        return
    text = decode(path, raw, report, allow_coercion=False)
    if text is not None and len(text.strip().splitlines()) < 1:
        report.refuse(f"{path}:1", "seed has no header")


def check_inputs(raw_dir: Path, out_dir: Path | None = None, repo: Path = REPO) -> Report:
    """Check every raw file in raw_dir (writing checked copies to out_dir) and every seed."""
    report = Report()
    frameworks = known_frameworks(repo)
    by_folded_name = {f"{framework}.csv".lower(): f"{framework}.csv" for framework in frameworks}
    by_folded_name[UNITS_FILE] = UNITS_FILE
    units = catalog_units(repo)
    provided, manifest = [], None
    if not raw_dir.is_dir():
        report.refuse(str(raw_dir), "the raw folder does not exist (DCI_RAW_DATA_DIR)")
        return report
    for path in sorted(raw_dir.iterdir()):
        name = path.name
        if name == MANIFEST_FILE:
            data = read_regular_file(path, raw_dir, report)
            manifest = read_manifest(path, data, frameworks, report) if data is not None else []
            continue
        if name.startswith(".") or not name.lower().endswith(".csv"):
            continue  # README.md, editor backups: not inputs
        expected = by_folded_name.get(name.lower())
        if expected is None:
            report.refuse(
                f"{path}",
                f"{path.stem!r} is not a framework_id; raw files are named "
                f"<framework_id>.csv ({', '.join(frameworks)}) or {UNITS_FILE}",
            )
            continue
        if name != expected:
            report.refuse(
                f"{path}",
                f"file name must be written {expected!r} exactly (the build reads only that name)",
            )
            continue
        data = read_regular_file(path, raw_dir, report)
        if data is None:
            continue
        if name == UNITS_FILE:
            check_units_file(path, data, out_dir, report)
        else:
            provided.append(path.stem)
            check_raw_file(path, data, out_dir, units, report)
    if not provided and not report.errors:
        report.refuse(str(raw_dir), "no raw indicator files (<framework_id>.csv)")
    if manifest is not None:
        for framework in sorted(set(manifest) - set(provided)):
            report.refuse(
                f"{raw_dir / MANIFEST_FILE}",
                f"lists {framework} but {framework}.csv is not in the folder",
            )
        for framework in sorted(set(provided) - set(manifest)):
            report.refuse(f"{raw_dir / framework}.csv", f"not listed in {MANIFEST_FILE}")
        if out_dir is not None:
            out_dir.mkdir(parents=True, exist_ok=True)
            (out_dir / MANIFEST_FILE).write_text(
                "".join(f"{entry}\n" for entry in manifest), encoding="utf-8"
            )
    report.frameworks = sorted(provided)
    report.manifest = manifest
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
