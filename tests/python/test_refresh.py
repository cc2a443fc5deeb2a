"""The refresh in production conditions: publishing, generations, the lock, SIGKILL at any moment,
a BI reader holding the file open, and the bad-input catalogue (docs/operations.md).

Every refresh here runs `make refresh` as cron does (refresh_fixtures.make: dbt build with every
test, the great-expectations checkpoint, the drop guard) against a temporary live file; nothing
touches warehouse/. The issue-8 cases (drop guard, file checks, crash-safe publish, operational
errors) are in test_refresh_guards.py; the kill soak in test_soak.py.
"""

from __future__ import annotations

import csv
import fcntl
import shutil
import subprocess
import threading
import time
from pathlib import Path

import duckdb
import pytest
from refresh_fixtures import (
    EXIT_INPUT_REJECTED,
    EXIT_LOCKED,
    EXIT_OK,
    EXIT_VALIDATION_FAILED,
    generations,
    make,
    output,
    sample_copy,
)
from warehouse_utils import file_digest, mart_differences, marts_snapshot

PROJECT_ITEMS = (
    "dbt_project.yml",
    "profiles.yml",
    "models",
    "macros",
    "seeds",
    "tests",
    "analyses",
    "data",
    "scripts",
    "Makefile",
    "pyproject.toml",
)


def refresh(repo: Path, live: Path, raw_dir: Path | None = None) -> subprocess.CompletedProcess:
    """`make refresh` as cron runs it."""
    return make(repo, live, raw_dir)


def test_refresh_publishes_and_keeps_the_previous_generation(repo, baseline, live_copy):
    before = file_digest(live_copy)
    result = refresh(repo, live_copy)
    assert result.returncode == EXIT_OK, output(result)[-3000:]
    kept = generations(live_copy)
    assert len(kept) == 1 and file_digest(kept[0]) == before
    assert not mart_differences(baseline["snapshot"], marts_snapshot(live_copy))
    assert not list((live_copy.parent / ".staging").glob("*")), "staging left behind"


def test_a_second_refresh_exits_locked_while_one_runs(repo, live_copy):
    lock_path = live_copy.parent / ".refresh.lock"
    with lock_path.open("a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        result = refresh(repo, live_copy)
    assert result.returncode == EXIT_LOCKED
    assert "another refresh holds" in output(result)


def test_readers_keep_working_during_and_after_a_refresh(repo, live_copy, tmp_path):
    # The new warehouse differs from the old in one raw value that its goalpost clips anyway, so
    # the refresh still passes every reconciliation test.
    changed = sample_copy(repo, tmp_path / "changed")
    path = changed / "h3c_dei_2021__city.csv"
    rows = list(csv.reader(path.open(encoding="utf-8")))
    goalposts = {}
    with (repo / "seeds/catalog/indicator_catalog__h3c_dei_2021__city.csv").open(
        encoding="utf-8"
    ) as handle:
        for entry in csv.DictReader(handle):
            if entry["normalisation"] == "goalposts":
                goalposts[entry["node_code"]] = (
                    float(entry["goalpost_low"]),
                    float(entry["goalpost_high"]),
                )
    clipped = next(
        row for row in rows[1:] if row[1] in goalposts and float(row[2]) > goalposts[row[1]][1]
    )
    clipped[2] = f"{(float(clipped[2]) + goalposts[clipped[1]][1]) / 2:.4f}"
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)

    query = "select count(*), sum(raw_value) from marts.fct_indicator_scores"
    held = duckdb.connect(str(live_copy), read_only=True)  # a BI tool, connected all day
    old_answer = held.execute(query).fetchone()
    seen, errors, stop = set(), [], threading.Event()

    def reader():  # a BI tool reconnecting for every query while the refresh runs
        while not stop.is_set():
            try:
                con = duckdb.connect(str(live_copy), read_only=True)
                seen.add(con.execute(query).fetchone())
                con.close()
            except Exception as error:  # noqa: BLE001 — any reader failure is the bug we look for
                errors.append(repr(error))
            time.sleep(0.2)

    thread = threading.Thread(target=reader)
    thread.start()
    try:
        result = refresh(repo, live_copy, changed)
    finally:
        stop.set()
        thread.join()
    assert result.returncode == EXIT_OK, output(result)[-3000:]
    assert not errors, errors[:3]
    assert (
        held.execute(query).fetchone() == old_answer
    )  # the held connection still reads the old file
    held.close()
    new_answer = duckdb.connect(str(live_copy), read_only=True).execute(query).fetchone()
    assert new_answer != old_answer
    assert seen <= {old_answer, new_answer}, "a reader saw a mix of old and new"


# --- the bad-input catalogue ------------------------------------------------------------------


def write_bytes(folder: Path, name: str, data: bytes) -> None:
    (folder / name).write_bytes(data)


REJECTED_BEFORE_DBT = {
    # case: (file to write, bytes, what the message must say)
    "missing column": (
        "h3c_dei_2021__city.csv",
        b"unit,value\ncn_310000,1\n",
        "missing column(s) node_code",
    ),
    "extra unknown column": (
        "h3c_dei_2021__city.csv",
        b"unit,node_code,value,source\ncn_310000,p1_1_1,1,x\n",
        "unknown column(s) source",
    ),
    "empty file": ("h3c_dei_2021__city.csv", b"", "empty file"),
    "header only": ("h3c_dei_2021__city.csv", b"unit,node_code,value,note\n", "header only"),
    "percent sign on a non-percent indicator": (
        "h3c_dei_2021__city.csv",
        None,
        "has a percent sign",
    ),
    "undecodable bytes": (
        "h3c_dei_2021__city.csv",
        b"unit,node_code,value\n\xff\xfe\xfa,p1_1_1,1\n",
        "neither UTF-8",
    ),
}


def first_leaf_with_unit(repo: Path, framework_id: str, unit: str, negate: bool = False) -> str:
    with (repo / "seeds" / "catalog" / f"indicator_catalog__{framework_id}.csv").open(
        encoding="utf-8"
    ) as handle:
        for row in csv.DictReader(handle):
            if (row["unit"] == unit) != negate and row["value_type"] == "continuous":
                return row["node_code"]
    raise AssertionError(f"no {'non-' if negate else ''}{unit} leaf in {framework_id}")


@pytest.mark.parametrize("case", sorted(REJECTED_BEFORE_DBT))
def test_file_level_bad_input_is_refused_before_dbt(repo, live_copy, tmp_path, case):
    name, data, message = REJECTED_BEFORE_DBT[case]
    raw = sample_copy(repo, tmp_path / "raw")
    if data is None:
        node = first_leaf_with_unit(repo, "h3c_dei_2021__city", "percent", negate=True)
        data = f"unit,node_code,value\ncn_310000,{node},45%\n".encode()
    write_bytes(raw, name, data)
    before = file_digest(live_copy)
    result = refresh(repo, live_copy, raw)
    assert result.returncode == EXIT_INPUT_REJECTED, output(result)[-3000:]
    assert message in output(result)
    assert f"{name}:" in output(result), "the message names the file and line"
    assert file_digest(live_copy) == before


VALUE_ERRORS = {
    # case: (row written to a bad file, what the message must say)
    "non-numeric value": ("cn_310000,{leaf},abc", 'value "abc" is not a number'),
    "value outside the plausible range": (
        "cn_110000,{pct_leaf},250",
        "outside the plausible range",
    ),
    "negative count": ("cn_120000,{count_leaf},-3", "outside the plausible range"),
    "unknown unit": ("不存在市,{leaf},1", "unknown unit 不存在市"),
    "unknown indicator": ("cn_440300,p9_9_9,1", "unknown indicator p9_9_9"),
    "unit missing every indicator": ("cn_440100,{leaf},", "value empty is not a number"),
    "duplicate unit x indicator": ("cn_500000,{dup_leaf},1", "duplicate cn_500000"),
}


@pytest.fixture(scope="module")
def value_error_refresh(repo, baseline, tmp_path_factory):
    """One refresh over a sample whose 2021 file has one bad row per case (dbt's checks). Blank
    lines and a note with a quoted line break come before the bad rows: the reported line numbers
    must still be the physical lines an editor shows."""
    folder = tmp_path_factory.mktemp("value_errors")
    live = folder / "live" / "digital_city_index.duckdb"
    live.parent.mkdir()
    shutil.copy2(baseline["live"], live)
    raw = sample_copy(repo, folder / "raw")
    path = raw / "h3c_dei_2021__city.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    leaves = {
        "leaf": first_leaf_with_unit(repo, "h3c_dei_2021__city", "percent"),
        "pct_leaf": first_leaf_with_unit(repo, "h3c_dei_2021__city", "percent"),
        "count_leaf": first_leaf_with_unit(repo, "h3c_dei_2021__city", "count"),
    }
    duplicated = next(line for line in lines[1:] if line.startswith("cn_500000,"))
    leaves["dup_leaf"] = duplicated.split(",")[1]
    # Drop the sample rows the bad rows replace, so each row breaks exactly one rule.
    drop = {
        f"cn_310000,{leaves['leaf']},",
        f"cn_110000,{leaves['pct_leaf']},",
        f"cn_120000,{leaves['count_leaf']},",
    }
    kept = [line for line in lines if not any(line.startswith(prefix) for prefix in drop)]
    kept = [
        line for line in kept if not line.startswith("cn_440100,")
    ]  # 广州: only an empty row remains
    note_at = kept[1].split(",")
    note_at[3] = '"checked by hand,\nsee the 2021 bulletin"'  # a note over two physical lines
    kept[1] = ",".join(note_at)
    kept[2:2] = ["", ""]  # blank lines, as an editor leaves them
    bad_lines = {}
    for case, (row, _) in VALUE_ERRORS.items():
        kept.extend(
            ["", row.format(**leaves) + ",,"]
        )  # empty note and provenance (= user_supplied)
        bad_lines[case] = "\n".join(kept).count("\n") + 1  # the physical line of the row just added
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    before = file_digest(live)
    result = refresh(repo, live, raw)
    return {"result": result, "bad_lines": bad_lines, "unchanged": file_digest(live) == before}


@pytest.mark.parametrize("case", sorted(VALUE_ERRORS))
def test_bad_values_are_refused_with_file_line_and_column(value_error_refresh, case):
    result = value_error_refresh["result"]
    assert result.returncode == EXIT_INPUT_REJECTED, output(result)[-3000:]
    line = value_error_refresh["bad_lines"][case]
    message = VALUE_ERRORS[case][1]
    matching = [
        text for text in output(result).splitlines() if f"h3c_dei_2021__city.csv:{line} " in text
    ]
    assert matching, f"no message for line {line}"
    assert any(message in text for text in matching), matching
    assert value_error_refresh["unchanged"], "the live warehouse changed"


def test_coercible_input_is_coerced_logged_and_changes_nothing(repo, baseline, live_copy, tmp_path):
    """A BOM, a GBK file, full-width digits, a percent sign on a percent indicator and thousands
    separators are coerced (each logged with file and line) and give exactly the same marts."""
    raw = sample_copy(repo, tmp_path / "raw")
    path_2021 = raw / "h3c_dei_2021__city.csv"
    rows = list(csv.reader(path_2021.open(encoding="utf-8")))
    big_row = next(index for index, row in enumerate(rows[1:], start=1) if float(row[2]) >= 1000)
    percent_leaf = first_leaf_with_unit(repo, "h3c_dei_2021__city", "percent")
    percent_row = next(index for index, row in enumerate(rows) if row[1] == percent_leaf)
    rows[percent_row][2] = rows[percent_row][2] + "%"
    wide_row = percent_row + 1
    rows[wide_row][2] = rows[wide_row][2].translate(
        str.maketrans("0123456789.", "０１２３４５６７８９．")
    )
    assert big_row not in (percent_row, wide_row)
    value = rows[big_row][2]
    integer, _, fraction = value.partition(".")
    rows[big_row][2] = f"{int(integer):,}" + (f".{fraction}" if fraction else "")
    with path_2021.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    bom_file = raw / "h3c_dei_2020__city.csv"
    bom_file.write_bytes(b"\xef\xbb\xbf" + bom_file.read_bytes())
    gbk_file = raw / "h3c_cddi_2022__zone.csv"
    gbk_lines = gbk_file.read_text(encoding="utf-8").splitlines()
    header, first = gbk_lines[0].split(","), gbk_lines[1].split(",")
    first[header.index("note")] = "园区统计公报"  # Chinese text makes GBK bytes that are not UTF-8
    gbk_lines[1] = ",".join(first)
    gbk_file.write_bytes(("\n".join(gbk_lines) + "\n").encode("gb18030"))

    result = refresh(repo, live_copy, raw)
    assert result.returncode == EXIT_OK, output(result)[-4000:]
    text = output(result)
    assert (
        f"h3c_dei_2021__city.csv:{percent_row + 1} value: coerced: removed the percent sign" in text
    )
    assert f"h3c_dei_2021__city.csv:{wide_row + 1} value: coerced: full-width characters" in text
    assert (
        f"h3c_dei_2021__city.csv:{big_row + 1} value: coerced: removed thousands separators" in text
    )
    assert "h3c_dei_2020__city.csv:1: coerced: removed the UTF-8 byte-order mark" in text
    assert "h3c_cddi_2022__zone.csv: coerced: decoded as GBK/GB18030" in text
    assert not mart_differences(baseline["snapshot"], marts_snapshot(live_copy))


def project_copy(repo: Path, folder: Path) -> Path:
    """A copy of the project that `make refresh` can run in (sharing the repository's venvs)."""
    folder.mkdir(parents=True)
    for item in PROJECT_ITEMS:
        source = repo / item
        if source.is_dir():
            shutil.copytree(source, folder / item)
        else:
            shutil.copy2(source, folder / item)
    for lock in repo.glob(
        "requirements*.lock"
    ):  # every lock `make setup` checks, present and future
        shutil.copy2(lock, folder / lock.name)
    for venv in (".venv", ".venv-airflow"):
        (folder / venv).symlink_to(repo / venv)
    return folder


def test_a_seed_with_a_byte_order_mark_is_refused(repo, live_copy, tmp_path):
    project = project_copy(repo, tmp_path / "project")
    seed = project / "seeds" / "reference" / "editions.csv"
    seed.write_bytes(b"\xef\xbb\xbf" + seed.read_bytes())
    before = file_digest(live_copy)
    result = refresh(project, live_copy)
    assert result.returncode == EXIT_INPUT_REJECTED
    assert "editions.csv:1: rejected: starts with a UTF-8 byte-order mark" in output(result)
    assert file_digest(live_copy) == before


def test_weights_that_no_longer_sum_to_one_fail_validation(repo, live_copy, tmp_path):
    project = project_copy(repo, tmp_path / "project")
    macro = project / "macros" / "frameworks" / "h3c_dei_2021__city.sql"
    text = macro.read_text(encoding="utf-8")
    marker = '"node_code": "p1", "parent_code": "root", "level": 1,'
    start = text.index(marker)
    weight_at = text.index('"weight": ', start) + len('"weight": ')
    weight_end = text.index(",", weight_at)
    macro.write_text(text[:weight_at] + "0.5" + text[weight_end:], encoding="utf-8")
    before = file_digest(live_copy)
    result = refresh(project, live_copy)
    assert result.returncode == EXIT_VALIDATION_FAILED, output(result)[-3000:]
    assert "weights_sum_to_one" in output(result)
    assert file_digest(live_copy) == before
