"""Safe refresh of the live warehouse (docs/operations.md): `make refresh`, cron or Airflow.

The live DuckDB file is never written. A refresh builds a candidate file in
warehouse/.staging/<run id>/, runs `dbt build` (every test) and the great-expectations checkpoint
against it, and only then replaces the live file with an atomic rename. Readers that hold the old
file open keep reading it (its inode lives on); readers that open the path afterwards see the new
one; nobody sees a mix. The previous live file is kept as a generation for rollback.

    refresh.py run                      whole refresh (cron); exit codes below
    refresh.py stage --run-id ID        create a candidate, print {"candidate", "raw_data_dir", …}
    refresh.py build --candidate PATH   dbt build into the candidate
    refresh.py validate --candidate PATH  great-expectations checkpoint on the candidate
    refresh.py publish --candidate PATH keep the live file as a generation, swap the candidate in
    refresh.py rollback [--to PATH]     put a generation back (default: the newest)
    refresh.py cleanup                  remove staging left by dead refreshes

Exit codes: 0 published · 10 input rejected · 11 validation failed · 12 locked · 13 internal error.
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import json
import logging
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parent))
from check_inputs import check_inputs  # noqa: E402  (scripts/ is not a package)
from serving_path import serving_path  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
EXIT_OK, EXIT_INPUT_REJECTED, EXIT_VALIDATION_FAILED, EXIT_LOCKED, EXIT_INTERNAL = 0, 10, 11, 12, 13
RAW_CHECK_TEST = "assert_raw_indicator_values_are_valid"

log = logging.getLogger("refresh")


class RefreshError(Exception):
    """A refresh stopped for a reason with its own exit code."""

    def __init__(self, exit_code: int, message: str):
        super().__init__(message)
        self.exit_code = exit_code


def live_path() -> Path:
    return (REPO / os.environ.get("DCI_DUCKDB_PATH", "warehouse/digital_city_index.duckdb")).resolve()


def live_serving_path() -> Path:
    """The serving database BI tools open (reporting marts, storage v1.4.0; scripts/serving_path.py)."""
    if os.environ.get("DCI_SERVING_PATH"):
        return (REPO / os.environ["DCI_SERVING_PATH"]).resolve()
    return serving_path(live_path())


def staging_root() -> Path:
    return live_path().parent / ".staging"


def generations_dir() -> Path:
    return live_path().parent / "generations"


def raw_data_dir() -> Path:
    return (REPO / os.environ.get("DCI_RAW_DATA_DIR", "data/sample")).resolve()


def setup_logging() -> None:
    log_file = REPO / os.environ.get("DCI_LOG_FILE", "logs/refresh.log")
    log_file.parent.mkdir(parents=True, exist_ok=True)
    formatter = logging.Formatter("%(asctime)s %(levelname)s [pid %(process)d] %(message)s")
    for handler in (logging.FileHandler(log_file, encoding="utf-8"), logging.StreamHandler(sys.stderr)):
        handler.setFormatter(formatter)
        log.addHandler(handler)
    log.setLevel(logging.INFO)


@contextlib.contextmanager
def refresh_lock(wait_seconds: float = 0):
    """One refresh at a time. The kernel drops the lock when its holder dies, so a killed
    refresh never blocks the next one."""
    lock_path = live_path().parent / ".refresh.lock"
    lock_path.parent.mkdir(parents=True, exist_ok=True)
    with lock_path.open("a+") as handle:
        deadline = time.monotonic() + wait_seconds
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    handle.seek(0)
                    holder = handle.read().strip() or "unknown"
                    raise RefreshError(EXIT_LOCKED, f"another refresh holds {lock_path} ({holder})") from None
                time.sleep(1)
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()} since {time.strftime('%Y-%m-%dT%H:%M:%S')}\n")
        handle.flush()
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def cleanup() -> None:
    """Remove every staging folder (call with the lock held: none can belong to a live run)."""
    root = staging_root()
    if root.exists():
        for leftover in sorted(root.iterdir()):
            log.info("removing staging left by an earlier refresh: %s", leftover)
            shutil.rmtree(leftover, ignore_errors=True)


def stage(run_id: str) -> dict:
    """Check and copy the raw inputs into a fresh staging folder; return the candidate's paths."""
    folder = staging_root() / run_id
    if folder.exists():
        shutil.rmtree(folder)
    raw_copy = folder / "raw"
    report = check_inputs(raw_data_dir(), raw_copy, REPO)
    for line in report.coercions:
        log.warning(line)
    if report.errors:
        for line in report.errors:
            log.error(line)
        raise RefreshError(EXIT_INPUT_REJECTED, f"{len(report.errors)} input problem(s); live warehouse unchanged")
    return {
        "run_id": run_id,
        "candidate": str(folder / live_path().name),
        "serving_candidate": str(serving_path(folder / live_path().name)),
        "raw_data_dir": str(raw_copy),
        "target_path": str(folder / "target"),
    }


def dbt_executable() -> str:
    return str(Path(sys.executable).with_name("dbt"))


def build(candidate: Path, raw_dir: Path, target_path: Path) -> None:
    """`dbt build` (every model, seed and test) into the candidate file."""
    env = dict(
        os.environ, DCI_DUCKDB_PATH=str(candidate), DCI_SERVING_PATH=str(serving_path(candidate)),
        DBT_PROFILES_DIR=str(REPO),
    )
    command = [
        dbt_executable(), "build", "--target-path", str(target_path),
        "--vars", json.dumps({"raw_data_dir": str(raw_dir)}),
    ]
    log.info("dbt build into %s (raw data %s)", candidate, raw_dir)
    result = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, check=False)
    (target_path / "dbt_build.log").parent.mkdir(parents=True, exist_ok=True)
    (target_path / "dbt_build.log").write_text(result.stdout + result.stderr, encoding="utf-8")
    if result.returncode == 0:
        log.info("dbt build passed")
        return
    failed = failed_nodes(target_path)
    if any(RAW_CHECK_TEST in node for node in failed):
        for message in raw_value_errors(candidate):
            log.error("%s: rejected", message)
        raise RefreshError(EXIT_INPUT_REJECTED, "raw indicator values rejected; live warehouse unchanged")
    for node in failed:
        log.error("dbt: %s failed", node)
    if not failed:
        log.error("dbt build failed before running nodes:\n%s", result.stdout[-4000:])
    raise RefreshError(EXIT_VALIDATION_FAILED, f"dbt build failed ({len(failed)} node(s)); live warehouse unchanged")


def failed_nodes(target_path: Path) -> list[str]:
    results_file = target_path / "run_results.json"
    if not results_file.exists():
        return []
    results = json.loads(results_file.read_text(encoding="utf-8"))["results"]
    return [result["unique_id"] for result in results if result["status"] in ("fail", "error")]


def raw_value_errors(candidate: Path) -> list[str]:
    """The file:line column: rule messages the raw-value test stored in the candidate."""
    with contextlib.closing(duckdb.connect(str(candidate), read_only=True)) as con:
        return [row[0] for row in con.execute(
            f"select error_message from dbt_test__audit.{RAW_CHECK_TEST} order by source_file, source_line"
        ).fetchall()]


def validate(candidate: Path) -> None:
    """great-expectations checkpoint over the candidate's marts (scripts/validate_marts.py)."""
    docs = candidate.parent / "gx_data_docs"
    command = [sys.executable, str(REPO / "scripts" / "validate_marts.py"), "--warehouse", str(candidate), "--docs-dir", str(docs)]
    log.info("great-expectations checkpoint on %s", candidate)
    result = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)
    for line in (result.stdout + result.stderr).strip().splitlines():
        log.info("gx: %s", line)
    if result.returncode == 1:
        raise RefreshError(EXIT_VALIDATION_FAILED, "great-expectations checkpoint failed; live warehouse unchanged")
    if result.returncode != 0:
        raise RefreshError(EXIT_INTERNAL, f"great-expectations checkpoint could not run (exit {result.returncode})")


def seal(candidate: Path) -> None:
    """Checkpoint the candidate so the swapped-in file is complete on its own (no .wal beside it)."""
    with contextlib.closing(duckdb.connect(str(candidate))) as con:
        con.execute("checkpoint")
    wal = candidate.with_name(candidate.name + ".wal")
    if wal.exists():
        raise RefreshError(EXIT_INTERNAL, f"candidate still has a write-ahead log: {wal}")


def publish(candidate: Path) -> Path | None:
    """Keep the live files as a generation, then atomically rename each candidate over its live file:
    the serving database first, then the warehouse (each rename is atomic; readers see either
    file whole, old or new)."""
    live = live_path()
    if not candidate.exists():
        raise RefreshError(EXIT_INTERNAL, f"no candidate at {candidate}")
    serving_candidate = serving_path(candidate)
    if not serving_candidate.exists():
        raise RefreshError(EXIT_INTERNAL, f"no serving database beside the candidate at {serving_candidate}")
    seal(candidate)
    seal(serving_candidate)
    stamp = f"{time.strftime('%Y%m%dT%H%M%S')}.{os.getpid()}"
    generation = None
    if live.exists():
        generation = generations_dir() / f"{live.stem}.{stamp}{live.suffix}"
        keep_generation(live, generation)
    if live_serving_path().exists():
        # Same name as the warehouse's generation, in generations/serving/, so a rollback pairs them.
        keep_generation(live_serving_path(), generations_dir() / "serving" / f"{live.stem}.{stamp}{live.suffix}")
    replace_durably(serving_candidate, live_serving_path())
    replace_durably(candidate, live)
    log.info("published %s and %s", live, live_serving_path())
    prune_generations()
    if candidate.parent.parent == staging_root():
        shutil.rmtree(candidate.parent, ignore_errors=True)
    return generation


def keep_generation(live: Path, generation: Path) -> None:
    generation.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(live, generation)  # same inode: free, and the old readers' file
    except OSError:
        shutil.copy2(live, generation)
    log.info("kept the previous %s as %s", live.name, generation)


def replace_durably(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    os.replace(source, target)
    directory = os.open(target.parent, os.O_RDONLY)
    try:
        os.fsync(directory)
    finally:
        os.close(directory)


def prune_generations() -> None:
    keep = int(os.environ.get("DCI_KEEP_GENERATIONS", "3"))
    kept = sorted(generations_dir().glob("*.duckdb"), key=lambda path: path.stat().st_mtime, reverse=True)
    for old in kept[keep:]:
        log.info("dropping old generation %s", old)
        old.unlink()
        (generations_dir() / "serving" / old.name).unlink(missing_ok=True)


def rollback(target: Path | None) -> None:
    candidates = sorted(generations_dir().glob("*.duckdb"), key=lambda path: path.stat().st_mtime, reverse=True)
    chosen = target or (candidates[0] if candidates else None)
    if chosen is None or not chosen.exists():
        raise RefreshError(EXIT_INTERNAL, "no generation to roll back to")
    paired_serving = chosen.parent / "serving" / chosen.name
    if paired_serving.exists():
        staged_serving = live_serving_path().with_name(f".rollback.{os.getpid()}.serving.duckdb")
        shutil.copy2(paired_serving, staged_serving)
        os.replace(staged_serving, live_serving_path())
        log.info("rolled back %s to %s", live_serving_path(), paired_serving)
    staged = live_path().with_name(f".rollback.{os.getpid()}.duckdb")
    shutil.copy2(chosen, staged)
    os.replace(staged, live_path())
    log.info("rolled back %s to %s", live_path(), chosen)


def run(wait_seconds: float) -> None:
    run_id = time.strftime("%Y%m%dT%H%M%S") + f"-{os.getpid()}"
    with refresh_lock(wait_seconds):
        log.info("refresh %s started (live %s)", run_id, live_path())
        cleanup()
        paths = stage(run_id)
        candidate = Path(paths["candidate"])
        try:
            build(candidate, Path(paths["raw_data_dir"]), Path(paths["target_path"]))
            validate(candidate)
            publish(candidate)
        finally:
            shutil.rmtree(staging_root() / run_id, ignore_errors=True)
        log.info("refresh %s done", run_id)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    run_parser = commands.add_parser("run", help="the whole refresh")
    run_parser.add_argument("--wait", type=float, default=0, help="seconds to wait for the lock (default: exit 12 at once)")
    stage_parser = commands.add_parser("stage", help="check inputs and create a candidate")
    stage_parser.add_argument("--run-id", required=True)
    for name in ("build", "validate", "publish"):
        sub = commands.add_parser(name)
        sub.add_argument("--candidate", type=Path, required=True)
    rollback_parser = commands.add_parser("rollback", help="restore a generation")
    rollback_parser.add_argument("--to", type=Path)
    commands.add_parser("cleanup", help="remove staging left by dead refreshes")
    args = parser.parse_args(argv)
    setup_logging()
    try:
        if args.command == "run":
            run(args.wait)
        elif args.command == "stage":
            print(json.dumps(stage(args.run_id)))
        elif args.command == "build":
            folder = args.candidate.parent
            build(args.candidate, folder / "raw", folder / "target")
        elif args.command == "validate":
            validate(args.candidate)
        elif args.command == "publish":
            with refresh_lock(wait_seconds=600):
                publish(args.candidate)
        elif args.command == "rollback":
            with refresh_lock(wait_seconds=600):
                rollback(args.to)
        elif args.command == "cleanup":
            with refresh_lock():
                cleanup()
    except RefreshError as error:
        log.error("%s (exit %d)", error, error.exit_code)
        return error.exit_code
    except Exception:  # the scheduler needs a distinct code for "our bug", with the traceback logged
        log.exception("internal error")
        return EXIT_INTERNAL
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
