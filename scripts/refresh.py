"""Safe refresh of the live warehouse (docs/operations.md): `make refresh`, cron or Airflow.

The live DuckDB file is never written. A refresh builds a candidate file in
warehouse/.staging/<run id>/, runs `dbt build` (every test) and the great-expectations checkpoint
against it, compares it with the live file (the drop guard, scripts/drop_guard.py), and only then
replaces the live file with an atomic rename (scripts/publish.py). Readers that hold the old file
open keep reading it (its inode lives on); readers that open the path afterwards see the new one;
nobody sees a mix. The previous live file is kept as a generation for rollback.

    refresh.py run [--allow-drop FW] [--uncertainty [VARS]]  whole refresh (cron); exit codes
                                        below. --uncertainty (`make uncertainty`) also builds and
                                        tests the uncertainty analysis (VARS: JSON of its dbt
                                        vars), as does any refresh of a live file that has it
    refresh.py stage --run-id ID        create a candidate, print {"candidate", "raw_data_dir", …}
    refresh.py build --candidate PATH   dbt build into the candidate
    refresh.py validate --candidate PATH  great-expectations checkpoint on the candidate
    refresh.py publish --candidate PATH [--allow-drop FW]  drop guard, then swap the pair in
    refresh.py rollback [--to PATH]     put a generation pair back (default: the newest)
    refresh.py cleanup                  remove dead refreshes' staging, settle a killed publish

Exit codes: 0 published · 10 input rejected (also: drop guard, rollback refused) · 11 validation
failed · 12 locked · 13 internal or operational error (permission denied, disk full, …), one line.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
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
import drop_guard  # noqa: E402  (scripts/ is not a package)
import publish as publishing  # noqa: E402
from check_inputs import MANIFEST_FILE, check_inputs  # noqa: E402
from serving_path import serving_path  # noqa: E402

REPO = Path(__file__).resolve().parents[1]
EXIT_OK, EXIT_INPUT_REJECTED, EXIT_VALIDATION_FAILED, EXIT_LOCKED, EXIT_INTERNAL = 0, 10, 11, 12, 13
RAW_CHECK_TEST = "assert_raw_indicator_values_are_valid"
OPERATIONAL_ERRNOS = {errno.EACCES, errno.EPERM, errno.EROFS, errno.ENOSPC, errno.EDQUOT}

log = logging.getLogger("refresh")


class RefreshError(Exception):
    """A refresh stopped for a reason with its own exit code."""

    def __init__(self, exit_code: int, message: str):
        super().__init__(message)
        self.exit_code = exit_code


def live_path() -> Path:
    return (
        REPO / os.environ.get("DCI_DUCKDB_PATH", "warehouse/digital_city_index.duckdb")
    ).resolve()


def live_serving_path() -> Path:
    """The serving database BI tools open (reporting marts, storage v1.4.0; serving_path.py)."""
    if os.environ.get("DCI_SERVING_PATH"):
        return (REPO / os.environ["DCI_SERVING_PATH"]).resolve()
    return serving_path(live_path())


def staging_root() -> Path:
    return live_path().parent / ".staging"


def raw_data_dir() -> Path:
    return (REPO / os.environ.get("DCI_RAW_DATA_DIR", "data/sample")).resolve()


class LogFileHandler(logging.FileHandler):
    """The log file is a copy: when it cannot be written (read-only folder, full disk) the refresh
    says so once on stderr and goes on, so the real error is never replaced by a logging error."""

    failed = False

    def emit(self, record: logging.LogRecord) -> None:
        if self.failed:
            return
        try:
            super().emit(record)  # opens the file on first use (delay=True): may raise
        except OSError:
            self.handleError(record)

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 (logging's name)
        if not self.failed:
            self.failed = True
            print(
                f"warning: cannot write the log file {self.baseFilename}: {sys.exc_info()[1]}; "
                "logging to stderr only",
                file=sys.stderr,
            )


def setup_logging() -> None:
    log_file = REPO / os.environ.get("DCI_LOG_FILE", "logs/refresh.log")
    formatter = logging.Formatter("%(asctime)s %(levelname)s [pid %(process)d] %(message)s")
    handlers: list[logging.Handler] = [logging.StreamHandler(sys.stderr)]
    try:
        log_file.parent.mkdir(parents=True, exist_ok=True)
        handlers.append(LogFileHandler(log_file, encoding="utf-8", delay=True))
    except OSError as error:
        print(
            f"warning: cannot write the log file {log_file}: {error}; logging to stderr only",
            file=sys.stderr,
        )
    for handler in handlers:
        handler.setFormatter(formatter)
        log.addHandler(handler)
    log.setLevel(logging.INFO)


def published_files() -> list[publishing.Published]:
    """Every file a refresh publishes together: the warehouse, then the serving database BI tools
    open (reporting marts in storage v1.4.0). Each has its own generations, paired by id."""
    return [
        publishing.Published(live_path()),
        publishing.Published(live_serving_path(), probe="select count(*) from reporting.rankings"),
    ]


def serving_candidate(candidate: Path) -> Path:
    """Where a build into `candidate` writes its serving database (published_files()[1])."""
    return published_files()[1].candidate_in(candidate.parent)


def keep_generations() -> int:
    return int(os.environ.get("DCI_KEEP_GENERATIONS", "3"))


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
                    raise RefreshError(
                        EXIT_LOCKED, lock_holder_message(lock_path, handle.read())
                    ) from None
                time.sleep(1)
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()} since {time.strftime('%Y-%m-%dT%H:%M:%S')}\n")
        handle.flush()
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def lock_holder_message(lock_path: Path, holder: str) -> str:
    """Who holds the lock. The kernel frees a flock when every holder dies, so a held lock whose
    recorded pid is gone means a process it started (inheriting the descriptor) still runs."""
    fields = holder.split()
    pid = int(fields[1]) if len(fields) > 1 and fields[0] == "pid" and fields[1].isdigit() else None
    if pid is not None and not Path(f"/proc/{pid}").exists():
        return (
            f"{lock_path} is held, but pid {pid} that took it is no longer running: a process it "
            f"started still holds the lock (find it with `fuser -v {lock_path}`; kill it to free "
            "the lock)"
        )
    return f"another refresh holds {lock_path} ({holder.strip() or 'holder unknown'})"


def cleanup() -> None:
    """Remove every staging folder (call with the lock held: none can belong to a live run) and
    settle a publish a kill left half done (scripts/publish.py)."""
    root = staging_root()
    if root.exists():
        for leftover in sorted(root.iterdir()):
            log.info("removing staging left by an earlier refresh: %s", leftover)
            shutil.rmtree(leftover, ignore_errors=True)
    publishing.recover(published_files(), keep_generations())


def stage(run_id: str, allow_drop: list[str] = ()) -> dict:
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
        raise RefreshError(
            EXIT_INPUT_REJECTED, f"{len(report.errors)} input problem(s); live warehouse unchanged"
        )
    refuse_losses(
        drop_guard.missing_framework_files(
            live_path(), report.frameworks, list(allow_drop), report.manifest
        )
    )
    return {
        "run_id": run_id,
        "candidate": str(folder / live_path().name),
        "serving_candidate": str(serving_candidate(folder / live_path().name)),
        "raw_data_dir": str(raw_copy),
        "target_path": str(folder / "target"),
    }


def dbt_executable() -> str:
    return str(Path(sys.executable).with_name("dbt"))


def build(
    candidate: Path, raw_dir: Path, target_path: Path, uncertainty: dict | None = None
) -> None:
    """`dbt build` (every model, seed and test) into the candidate file; with `uncertainty` (its
    dbt vars, may be empty), the uncertainty analysis too (README "How sure is a rank?")."""
    env = dict(
        os.environ,
        DCI_DUCKDB_PATH=str(candidate),
        DCI_SERVING_PATH=str(serving_candidate(candidate)),
        DBT_PROFILES_DIR=str(REPO),
    )
    command = [
        dbt_executable(),
        "build",
        "--target-path",
        str(target_path),
        "--vars",
        json.dumps(
            {
                "raw_data_dir": str(raw_dir),
                **({"uncertainty": True, **uncertainty} if uncertainty is not None else {}),
            }
        ),
    ]
    log.info(
        "dbt build into %s (raw data %s%s)",
        candidate,
        raw_dir,
        "" if uncertainty is None else ", with the uncertainty analysis",
    )
    result = subprocess.run(command, cwd=REPO, env=env, capture_output=True, text=True, check=False)
    output = result.stdout + result.stderr  # kept in memory: a full disk cannot eat it
    with contextlib.suppress(OSError):
        target_path.mkdir(parents=True, exist_ok=True)
        (target_path / "dbt_build.log").write_text(output, encoding="utf-8")
    if result.returncode == 0:
        log.info("dbt build passed")
        return
    operational = operational_error_line(output)
    if operational:
        raise RefreshError(
            EXIT_INTERNAL, f"dbt build could not write the candidate {candidate}: {operational}"
        )
    failed = failed_nodes(target_path)
    if any(RAW_CHECK_TEST in node for node in failed):
        for message in raw_value_errors(candidate):
            log.error("%s: rejected", message)
        raise RefreshError(
            EXIT_INPUT_REJECTED, "raw indicator values rejected; live warehouse unchanged"
        )
    for node in failed:
        log.error("dbt: %s failed", node)
    if not failed:
        log.error("dbt build failed before running nodes:\n%s", output[-4000:])
    raise RefreshError(
        EXIT_VALIDATION_FAILED,
        f"dbt build failed ({len(failed)} node(s)); live warehouse unchanged",
    )


OPERATIONAL_ERRORS = (
    "No space left on device",
    "Disk quota exceeded",
    "Read-only file system",
    "Permission denied",
)


def operational_error_line(output: str) -> str | None:
    """dbt's own line for an environment failure (disk full, permissions), if that is it."""
    for line in output.splitlines():
        if any(marker in line for marker in OPERATIONAL_ERRORS):
            return line.strip()
    return None


def failed_nodes(target_path: Path) -> list[str]:
    results_file = target_path / "run_results.json"
    if not results_file.exists():
        return []
    results = json.loads(results_file.read_text(encoding="utf-8"))["results"]
    return [result["unique_id"] for result in results if result["status"] in ("fail", "error")]


def raw_value_errors(candidate: Path) -> list[str]:
    """The file:line column: rule messages the raw-value test stored in the candidate."""
    with contextlib.closing(duckdb.connect(str(candidate), read_only=True)) as con:
        return [
            row[0]
            for row in con.execute(
                f"select error_message from dbt_test__audit.{RAW_CHECK_TEST} "
                "order by source_file, source_line"
            ).fetchall()
        ]


def validate(candidate: Path) -> None:
    """great-expectations checkpoint over the candidate's marts (scripts/validate_marts.py)."""
    docs = candidate.parent / "gx_data_docs"
    command = [
        sys.executable,
        str(REPO / "scripts" / "validate_marts.py"),
        "--warehouse",
        str(candidate),
        "--docs-dir",
        str(docs),
    ]
    log.info("great-expectations checkpoint on %s", candidate)
    result = subprocess.run(command, cwd=REPO, capture_output=True, text=True, check=False)
    for line in (result.stdout + result.stderr).strip().splitlines():
        log.info("gx: %s", line)
    if result.returncode == 1:
        raise RefreshError(
            EXIT_VALIDATION_FAILED, "great-expectations checkpoint failed; live warehouse unchanged"
        )
    if result.returncode != 0:
        raise RefreshError(
            EXIT_INTERNAL, f"great-expectations checkpoint could not run (exit {result.returncode})"
        )


def manifest_of(staging_folder: Path) -> list[str] | None:
    path = staging_folder / "raw" / MANIFEST_FILE
    if not path.exists():
        return None
    return [line.strip() for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def refuse_losses(refusals: list[str]) -> None:
    for message in refusals:
        log.error("drop guard: %s", message)
    if refusals:
        raise RefreshError(
            EXIT_INPUT_REJECTED,
            f"drop guard: {len(refusals)} framework(s) would lose published units; "
            "live warehouse unchanged. Restore the input, or allow it: "
            "make refresh ALLOW_DROP=<framework_id>[,…] (refresh.py --allow-drop), "
            f"or list the frameworks the raw folder provides in {MANIFEST_FILE}",
        )


def publish(candidate: Path, allow_drop: list[str] = ()) -> None:
    """Drop guard (candidate vs live), then the crash-safe swap of scripts/publish.py."""
    folder = candidate.parent
    if not candidate.exists():
        raise RefreshError(EXIT_INTERNAL, f"no candidate at {candidate}")
    live = live_path()
    if live.exists():
        refusals, accepted = drop_guard.losses(
            drop_guard.scored_units(live),
            drop_guard.scored_units(candidate),
            list(allow_drop),
            manifest_of(folder),
        )
        for message in accepted:
            log.warning("drop guard: %s (allowed by the operator)", message)
        refuse_losses(refusals)
    publishing.publish(published_files(), folder, keep_generations())
    if folder.parent == staging_root():
        shutil.rmtree(folder, ignore_errors=True)


def rollback(target: Path | None) -> None:
    try:
        publishing.rollback(published_files(), target, keep_generations())
    except publishing.RollbackRefused as refused:
        raise RefreshError(
            EXIT_INPUT_REJECTED, f"rollback refused: {refused}; live warehouse unchanged"
        ) from None


def live_has_uncertainty() -> bool:
    """Whether the live file holds the uncertainty marts (then a refresh rebuilds them). A live
    file that cannot be read is the drop guard's business, not this question's: False."""
    if not live_path().exists():
        return False
    try:
        con = duckdb.connect(str(live_path()), read_only=True)
    except (duckdb.Error, OSError):
        return False
    try:
        return bool(
            con.execute(
                "select count(*) from duckdb_tables() "
                "where schema_name = 'marts' and table_name = 'fct_rank_uncertainty'"
            ).fetchall()[0][0]
        )
    finally:
        con.close()


def run(wait_seconds: float, allow_drop: list[str], uncertainty: dict | None = None) -> None:
    run_id = time.strftime("%Y%m%dT%H%M%S") + f"-{os.getpid()}"
    with refresh_lock(wait_seconds):
        log.info("refresh %s started (live %s)", run_id, live_path())
        cleanup()
        try:
            paths = stage(run_id, allow_drop)
            candidate = Path(paths["candidate"])
            build(
                candidate,
                Path(paths["raw_data_dir"]),
                Path(paths["target_path"]),
                {} if uncertainty is None and live_has_uncertainty() else uncertainty,
            )
            validate(candidate)
            publish(candidate, allow_drop)
        finally:
            shutil.rmtree(staging_root() / run_id, ignore_errors=True)
        log.info("refresh %s done", run_id)
    print_summary()


def print_summary() -> None:
    """What was published, per framework (scripts/summary.py, read-only). The warehouse is live
    already, so a failure here is logged, never turned into a failed refresh."""
    sys.stdout.flush()
    result = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "summary.py"), str(live_path())], check=False
    )
    if result.returncode != 0:
        log.warning("summary exited %s; the refresh itself succeeded", result.returncode)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    run_parser = commands.add_parser("run", help="the whole refresh")
    run_parser.add_argument(
        "--wait",
        type=float,
        default=0,
        help="seconds to wait for the lock (default: exit 12 at once)",
    )
    run_parser.add_argument(
        "--uncertainty",
        nargs="?",
        const="{}",
        type=json.loads,
        metavar="VARS",
        help="also build the uncertainty analysis (VARS: JSON of its dbt vars)",
    )
    stage_parser = commands.add_parser("stage", help="check inputs and create a candidate")
    stage_parser.add_argument("--run-id", required=True)
    for name in ("build", "validate", "publish"):
        sub = commands.add_parser(name)
        sub.add_argument("--candidate", type=Path, required=True)
    for sub in (run_parser, stage_parser, commands.choices["publish"]):
        sub.add_argument(
            "--allow-drop",
            action="append",
            default=[],
            metavar="FRAMEWORK",
            help="let this framework vanish or lose units (repeatable; `all`: every framework)",
        )
    rollback_parser = commands.add_parser("rollback", help="restore a generation")
    rollback_parser.add_argument("--to", type=Path)
    commands.add_parser("cleanup", help="remove staging left by dead refreshes")
    args = parser.parse_args(argv)
    setup_logging()
    try:
        if args.command == "run":
            run(args.wait, args.allow_drop, args.uncertainty)
        elif args.command == "stage":
            print(json.dumps(stage(args.run_id, args.allow_drop)))
        elif args.command == "build":
            folder = args.candidate.parent
            build(args.candidate, folder / "raw", folder / "target")
        elif args.command == "validate":
            validate(args.candidate)
        elif args.command == "publish":
            with refresh_lock(wait_seconds=600):
                publish(args.candidate, args.allow_drop)
        elif args.command == "rollback":
            with refresh_lock(wait_seconds=600):
                rollback(args.to)
        elif args.command == "cleanup":
            with refresh_lock():
                cleanup()
    except RefreshError as error:
        log.error("%s (exit %d)", error, error.exit_code)
        return error.exit_code
    except OSError as error:
        if error.errno not in OPERATIONAL_ERRNOS:
            log.exception("internal error")
            return EXIT_INTERNAL
        where = " → ".join(str(name) for name in (error.filename, error.filename2) if name) or "?"
        log.error(
            "cannot %s: %s: %s; live warehouse unchanged (exit %d)",
            args.command,
            error.strerror,
            where,
            EXIT_INTERNAL,
        )
        return EXIT_INTERNAL
    except (
        Exception
    ):  # the scheduler needs a distinct code for "our bug", with the traceback logged
        log.exception("internal error")
        return EXIT_INTERNAL
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
