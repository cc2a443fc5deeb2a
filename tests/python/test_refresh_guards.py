"""Unattended refresh (issue 8), each case as cron meets it: `make refresh` with cron's bare
environment, its exit code, its message, and the live warehouse unchanged or changed exactly as
intended. Cases: the drop guard, input files that are not plain files, names and headers in the
wrong case, an unknown framework file, a kill between link and replace with an honest rollback
after it, a lock held by a dead refresh's child, a read-only warehouse folder and a full disk.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import duckdb
import pytest
from refresh_fixtures import (
    EXIT_INPUT_REJECTED,
    EXIT_INTERNAL,
    EXIT_LOCKED,
    EXIT_OK,
    cron_env,
    generations,
    make,
    output,
    run_until,
    sample_copy,
)
from warehouse_utils import file_digest

ZONE = "h3c_cddi_2022__zone"


def scored_units(live: Path) -> dict[str, int]:
    with contextlib.closing(duckdb.connect(str(live), read_only=True)) as con:
        return dict(
            con.execute(
                "select framework_id, count(*) from marts.fct_index_scores "
                "where composite_score is not null group by 1"
            ).fetchall()
        )


def refused(result: subprocess.CompletedProcess, code: int, *messages: str) -> str:
    text = output(result)
    assert result.returncode == code, f"exit {result.returncode}, expected {code}:\n{text[-3000:]}"
    for message in messages:
        assert message in text, f"{message!r} not in:\n{text[-3000:]}"
    assert "Traceback" not in text
    return text


# --- the drop guard -------------------------------------------------------------------------


@pytest.mark.parametrize("how", ["file removed", "renamed .CSV"])
def test_a_missing_framework_file_is_refused_naming_the_framework(repo, live_copy, tmp_path, how):
    raw = sample_copy(repo, tmp_path / "raw")
    zone = raw / f"{ZONE}.csv"
    if how == "file removed":
        zone.unlink()
        expected = (f"framework {ZONE} (30 units published now) would vanish", "ALLOW_DROP=")
    else:
        zone.rename(raw / f"{ZONE}.CSV")
        expected = (f"{ZONE}.CSV: rejected: file name must be written '{ZONE}.csv'",)
    before = file_digest(live_copy)
    refused(make(repo, live_copy, raw), EXIT_INPUT_REJECTED, *expected)
    assert file_digest(live_copy) == before


def test_a_manifest_listing_a_missing_file_is_refused(repo, live_copy, tmp_path):
    raw = sample_copy(repo, tmp_path / "raw")
    (raw / f"{ZONE}.csv").unlink()
    frameworks = sorted(path.stem for path in raw.glob("*.csv")) + [ZONE]
    (raw / "manifest.txt").write_text(
        "# what this folder provides\n" + "\n".join(frameworks) + "\n", encoding="utf-8"
    )
    before = file_digest(live_copy)
    refused(
        make(repo, live_copy, raw),
        EXIT_INPUT_REJECTED,
        f"manifest.txt: rejected: lists {ZONE} but {ZONE}.csv is not",
    )
    assert file_digest(live_copy) == before


@pytest.mark.parametrize("allowed_by", ["manifest", "ALLOW_DROP"])
def test_an_explicitly_retired_framework_is_removed_and_nothing_else(
    repo, baseline, live_copy, tmp_path, allowed_by
):
    """Also what a BI connection held open across the swap sees: the old file till it reconnects."""
    raw = sample_copy(repo, tmp_path / "raw")
    (raw / f"{ZONE}.csv").unlink()
    goals = ["refresh"]
    if allowed_by == "manifest":
        (raw / "manifest.txt").write_text(
            "\n".join(sorted(path.stem for path in raw.glob("*.csv"))) + "\n"
        )
    else:
        goals.append(f"ALLOW_DROP={ZONE}")
    zones = f"select count(*) from marts.fct_index_scores where framework_id = '{ZONE}'"
    held = duckdb.connect(str(live_copy), read_only=True)
    try:
        result = make(repo, live_copy, raw, *goals)
        assert result.returncode == EXIT_OK, output(result)[-4000:]
        assert (
            held.execute(zones).fetchone()[0] == 30
        )  # the held connection still reads the old file
    finally:
        held.close()
    with contextlib.closing(duckdb.connect(str(live_copy), read_only=True)) as reconnected:
        assert reconnected.execute(zones).fetchone()[0] == 0
    assert (
        f"drop guard: framework {ZONE} would vanish (30 units published now) "
        "(allowed by the operator)" in output(result)
    )
    before, after = scored_units(baseline["live"]), scored_units(live_copy)
    assert ZONE in before and ZONE not in after
    assert after == {framework: count for framework, count in before.items() if framework != ZONE}


def test_losing_more_than_the_set_share_of_a_frameworks_units_is_refused(repo, live_copy, tmp_path):
    """A user's partial upload: the zone file without its four last-ranked zones (13% > 10%)."""
    raw = sample_copy(repo, tmp_path / "raw")
    with contextlib.closing(duckdb.connect(str(live_copy), read_only=True)) as con:
        dropped = [
            row[0]
            for row in con.execute(
                "select unit_id from marts.fct_index_scores where framework_id = ? "
                "order by composite_rank desc limit 4",
                [ZONE],
            ).fetchall()
        ]
    path = raw / f"{ZONE}.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    # user-supplied values (no `synthetic` provenance), so the sample calibration tests do not apply
    kept = [lines[0]] + [
        line.removesuffix(",synthetic") + ","
        for line in lines[1:]
        if line.split(",")[0] not in dropped
    ]
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")
    before = file_digest(live_copy)
    text = refused(
        make(repo, live_copy, raw),
        EXIT_INPUT_REJECTED,
        f"framework {ZONE} would lose 4 of 30 units (13% > 10%)",
    )
    assert all(f"({unit})" in text for unit in dropped)
    assert file_digest(live_copy) == before


# --- input files are files --------------------------------------------------------------------


def test_a_named_pipe_is_refused_at_once_and_does_not_hold_the_lock(repo, live_copy, tmp_path):
    raw = sample_copy(repo, tmp_path / "raw")
    (raw / f"{ZONE}.csv").unlink()
    os.mkfifo(raw / f"{ZONE}.csv")  # nobody ever writes to it: reading it would hang
    before = file_digest(live_copy)
    for _ in range(2):  # the second run is not blocked (12) by the first
        refused(
            make(repo, live_copy, raw, timeout=120),
            EXIT_INPUT_REJECTED,
            f"{ZONE}.csv: rejected: a named pipe",
        )
    assert file_digest(live_copy) == before


def test_a_symlink_leaving_the_raw_folder_is_refused_without_reading_it(repo, live_copy, tmp_path):
    raw = sample_copy(repo, tmp_path / "raw")
    secret = tmp_path / "elsewhere" / "secret.csv"
    secret.parent.mkdir()
    secret.write_text(
        "root:x:0:0:do-not-echo-me\n" + (raw / f"{ZONE}.csv").read_text(encoding="utf-8")
    )
    (raw / f"{ZONE}.csv").unlink()
    (raw / f"{ZONE}.csv").symlink_to(secret)
    before = file_digest(live_copy)
    refused(
        make(repo, live_copy, raw),
        EXIT_INPUT_REJECTED,
        f"{ZONE}.csv: rejected: symbolic link leaving the raw folder",
    )
    assert "do-not-echo-me" not in output(make(repo, live_copy, raw))
    assert "do-not-echo-me" not in (live_copy.parent / "refresh.log").read_text(encoding="utf-8")
    assert file_digest(live_copy) == before


HEADERS = {
    # case: (header written, what the message must say)
    "a second value column": (
        "unit,node_code,value,note,provenance,value",
        "column 'value' (column 6) repeats column 3",
    ),
    "a case-variant column": (
        "unit,node_code,Value,note,provenance",
        "column 'Value' must be written 'value'",
    ),
    "case-variant duplicate": (
        "unit,node_code,value,note,VALUE",
        "column 'VALUE' (column 5) repeats column 3",
    ),
}


@pytest.mark.parametrize("case", sorted(HEADERS))
def test_duplicate_and_case_variant_columns_are_refused(repo, live_copy, tmp_path, case):
    header, message = HEADERS[case]
    raw = sample_copy(repo, tmp_path / "raw")
    path = raw / f"{ZONE}.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    extra = "," * (header.count(",") - lines[0].count(","))
    path.write_text(
        "\n".join([header] + [line + extra for line in lines[1:]]) + "\n", encoding="utf-8"
    )
    before = file_digest(live_copy)
    refused(make(repo, live_copy, raw), EXIT_INPUT_REJECTED, f"{ZONE}.csv:1: rejected: {message}")
    assert file_digest(live_copy) == before


def test_an_unknown_framework_file_gets_one_message(repo, live_copy, tmp_path):
    unknown = "h3c_dei_2099__city"  # not a framework here, even after `make new-framework`s
    assert unknown not in (repo / "seeds" / "reference" / "frameworks.csv").read_text()
    raw = sample_copy(repo, tmp_path / "raw")
    shutil.copy2(raw / "h3c_dei_2021__city.csv", raw / f"{unknown}.csv")  # 11,000+ rows
    before = file_digest(live_copy)
    text = refused(
        make(repo, live_copy, raw),
        EXIT_INPUT_REJECTED,
        f"'{unknown}' is not a framework_id",
    )
    assert sum(unknown in line for line in text.splitlines()) == 1
    assert file_digest(live_copy) == before


# --- publish is crash-safe, rollback is honest --------------------------------------------------


def test_a_kill_between_link_and_replace_then_rollback_is_honest(repo, live_copy):
    old = file_digest(live_copy)
    run_until(repo, live_copy, "publish paused at after_link", DCI_PUBLISH_PAUSE="after_link")
    assert file_digest(live_copy) == old
    assert generations(live_copy) == [], "a link to the live file is not an earlier warehouse"
    [pending] = (live_copy.parent / "generations").glob(".retiring.*")
    assert pending.samefile(live_copy)
    text = refused(
        make(repo, live_copy, None, "rollback"),
        EXIT_INPUT_REJECTED,
        "rollback refused: no generation to roll back to",
    )
    assert (
        f"a publish was killed before its swap: dropping {pending.name} (it is the live file)"
        in text
    )
    assert file_digest(live_copy) == old

    result = make(repo, live_copy)
    assert result.returncode == EXIT_OK, output(result)[-3000:]
    new = file_digest(live_copy)
    kept = generations(live_copy)
    assert [file_digest(path) for path in kept] == [old] and not kept[0].samefile(live_copy)
    assert not list((live_copy.parent / "generations").glob(".*")), "a pending entry was left"

    # A generation identical to the live file: rollback refuses instead of "succeeding".
    twin = kept[0].with_name(kept[0].name.replace(".duckdb", "9.duckdb"))
    shutil.copy2(live_copy, twin)
    refused(
        make(repo, live_copy, None, "rollback"),
        EXIT_INPUT_REJECTED,
        "is identical to the live digital_city_index.duckdb",
    )
    twin.unlink()

    result = make(repo, live_copy, None, "rollback")
    assert result.returncode == EXIT_OK, output(result)[-3000:]
    assert file_digest(live_copy) == old
    kept = generations(live_copy)
    assert [file_digest(path) for path in kept] == [new] and ".rolled_back" in kept[0].name
    # The displaced file is kept but is not a default target: a second rollback has nothing to do.
    refused(
        make(repo, live_copy, None, "rollback"),
        EXIT_INPUT_REJECTED,
        "no generation to roll back to",
    )


# --- clear operational errors ------------------------------------------------------------------


HOLDER = textwrap.dedent("""
    import fcntl, sys, time
    handle = open(sys.argv[1], "a+")
    fcntl.flock(handle, fcntl.LOCK_EX)
    handle.truncate(0); handle.write("pid 4194000 since 2026-01-01T03:00:00\\n"); handle.flush()
    print("locked", flush=True)
    time.sleep(120)
""")


def test_a_lock_held_after_its_refresh_died_says_so(repo, live_copy):
    """The pid recorded in the lock is gone but a process it started still holds the lock."""
    lock = live_copy.parent / ".refresh.lock"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(lock)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        text = refused(
            make(repo, live_copy),
            EXIT_LOCKED,
            "pid 4194000 that took it is no longer running",
            f"fuser -v {lock}",
        )
    finally:
        holder.kill()
        holder.wait()
    assert sum(" ERROR " in line for line in text.splitlines()) == 1


@contextlib.contextmanager
def mounted_tmpfs(folder: Path, size: str):
    folder.mkdir(parents=True)
    mount = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
        capture_output=True,
        text=True,
        check=False,
    )
    if mount.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here (needs root): {mount.stderr.strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def test_a_read_only_warehouse_folder_is_one_line_exit_13(repo, baseline, tmp_path):
    with mounted_tmpfs(tmp_path / "ro", "64m") as folder:
        live = folder / "digital_city_index.duckdb"
        shutil.copy2(baseline["live"], live)
        before = file_digest(live)
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
        result = make(repo, live)
        text = refused(
            result, EXIT_INTERNAL, f"cannot run: Read-only file system: {folder}/.refresh.lock"
        )
        assert f"warning: cannot write the log file {folder}/refresh.log" in text
        assert file_digest(live) == before


def test_a_full_disk_keeps_dbts_error_and_the_live_file(repo, baseline, tmp_path):
    size = baseline["live"].stat().st_size
    with mounted_tmpfs(tmp_path / "full", f"{size * 3 // 2}") as folder:
        live = folder / "digital_city_index.duckdb"
        shutil.copy2(baseline["live"], live)
        before = file_digest(live)
        result = make(repo, live)  # the log file sits on the same full disk
        refused(
            result,
            EXIT_INTERNAL,
            "dbt build could not write the candidate",
            "No space left on device",
        )
        assert file_digest(live) == before


def test_the_cron_recipe_retries_a_held_lock_and_reports_once(repo, live_copy):
    lock = live_copy.parent / ".refresh.lock"
    cron_log = live_copy.parent / "cron.log"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLDER, str(lock)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        result = subprocess.run(
            [str(repo / "scripts" / "cron_refresh.sh")],
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
            env=cron_env(
                repo, live_copy, DCI_RETRIES="1", DCI_RETRY_DELAY="0", DCI_CRON_LOG=str(cron_log)
            ),
        )
    finally:
        holder.kill()
        holder.wait()
    assert result.returncode == EXIT_LOCKED
    assert result.stdout.startswith("digital-city-index refresh: exit 12 after 1 retries")
    log = cron_log.read_text(encoding="utf-8")
    assert log.count("exit 12)") == 2 and "retry 1 of 1" in log  # tried twice


def test_make_dry_run_prints_the_refresh_without_running_it(repo, tmp_path):
    live = tmp_path / "live" / "digital_city_index.duckdb"
    result = make(repo, live, None, "-n", "refresh")
    assert result.returncode == EXIT_OK, output(result)
    assert "scripts/refresh.py run" in result.stdout
    assert not live.parent.exists(), "make -n ran the refresh"
