"""Kill soak for the refresh (`make soak`; short version in tests/python/test_soak.py).

Starts `make refresh` as cron does, in its own process group, against a throwaway live file, and
SIGKILLs the whole group (make → refresh.py → dbt / great-expectations) — at a random moment of
the refresh, or (every `--forced-every`th kill) exactly at a step of publish (DCI_PUBLISH_PAUSE,
scripts/publish.py): after the journal is written, after the link, replace and rename of the
warehouse, between the two files, and after the serving file's replace. After every kill it checks:

* unreadable      the live file does not open, or its marts cannot be queried;
* changed         the live file is neither the one before the kill nor a complete new warehouse
                  (same marts fingerprint as the baseline refresh of the same input);
* blocked         the next run cannot take the lock (`refresh.py cleanup`, which a refresh does
                  first, exits non-zero);
* leftover        staging folders, pending or incoming generations or a publish journal remain
                  after that next run's cleanup;
* bad generations a listed generation that is the live file, repeats another, is unreadable, or
                  more generations than DCI_KEEP_GENERATIONS;
* mismatched pair after that cleanup, the live warehouse and serving file carry different
                  generation stamps (or one has none), or a warehouse generation's serving twin is
                  missing or from another publish.

Random moments that fall after the refresh finished kill nothing; they are drawn again, so every
counted kill hit a running refresh. All counts must be 0, and a final `make refresh` must publish.
Writes a Markdown report (--report); exits 1 when any count is not 0.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import duckdb
from publish import stamp_of
from serving_path import serving_path

REPO = Path(__file__).resolve().parents[1]
PUBLISH_STEPS = (
    "after_link",
    "between_files",
    "after_replace",
    "after_journal",
    "after_rename",
    "after_replace_2",
)
FINGERPRINT = """
    select framework_id, count(*), round(sum(composite_score), 3), round(sum(composite_rank), 0)
    from marts.fct_index_scores group by 1 order by 1
"""
PROBLEMS = ("unreadable", "changed", "blocked", "leftover", "bad_generations", "mismatched_pair")


def digest(path: Path) -> str:
    hasher = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            hasher.update(block)
    return hasher.hexdigest()


def fingerprint(path: Path) -> list[tuple] | None:
    try:
        with contextlib.closing(duckdb.connect(str(path), read_only=True)) as con:
            return con.execute(FINGERPRINT).fetchall()
    except duckdb.Error:
        return None


def environment(live: Path, **extra: str) -> dict[str, str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("MAKE", "MFLAGS", "DCI_"))
    }
    env.update(DCI_DUCKDB_PATH=str(live), DCI_LOG_FILE=str(live.parent / "refresh.log"), **extra)
    if "DCI_RAW_DATA_DIR" in os.environ:
        env["DCI_RAW_DATA_DIR"] = os.environ["DCI_RAW_DATA_DIR"]
    return env


def start_refresh(live: Path, stderr=subprocess.PIPE, **extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        ["make", "--no-print-directory", "-C", str(REPO), "refresh"],
        env=environment(live, **extra),
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=stderr,
        text=True,
    )


def kill_group(process: subprocess.Popen) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)
    process.wait()
    if process.stderr:
        process.stderr.close()


# The refresh's phase, from the last line it logged (the first matching prefix wins).
PHASES = (
    ("dbt build into", "dbt build"),
    ("dbt build passed", "great-expectations checkpoint"),
    ("great-expectations checkpoint", "great-expectations checkpoint"),
    ("gx: ", "drop guard / publish"),
    ("kept the previous file", "publish (after the swap)"),
    ("published", "publish (pruning)"),
    ("dropping old generation", "publish (pruning)"),
)


def phase(last_line: str) -> str:
    return next(
        (name for prefix, name in PHASES if last_line.startswith(prefix)),
        "start: lock, recovery, input checks",
    )


def kill_at_random(live: Path, seconds: float) -> str | None:
    """SIGKILL a refresh after `seconds`; returns its phase then, None if it had finished."""
    process = start_refresh(live, stderr=subprocess.DEVNULL)  # the refresh log says where it was
    time.sleep(seconds)
    finished = process.poll() is not None
    kill_group(process)
    log = (live.parent / "refresh.log").read_text(encoding="utf-8", errors="replace").splitlines()
    last = log[-1].split("] ", 1)[-1] if log else ""
    return (
        None if finished or last.startswith("refresh ") and last.endswith(" done") else phase(last)
    )


def kill_at_step(live: Path, step: str) -> str:
    process = start_refresh(live, DCI_PUBLISH_PAUSE=step)
    for line in process.stderr:
        if f"publish paused at {step}" in line:
            break
    kill_group(process)
    return step


def serving_readable(live: Path) -> bool:
    """The serving database published beside the warehouse opens and answers (when there is one)."""
    serving = serving_path(live)
    if not serving.exists():
        return True
    try:
        with contextlib.closing(duckdb.connect(str(serving), read_only=True)) as con:
            con.execute("select count(*) from reporting.rankings").fetchone()
        return True
    except duckdb.Error:
        return False


def generation_problems(live: Path, keep: int) -> list[str]:
    """The warehouse's generations (the serving file's are paired with them by id)."""
    folder = live.parent / "generations"
    listed = (
        [path for path in folder.iterdir() if path.name.startswith(f"{live.stem}.")]
        if folder.is_dir()
        else []
    )
    problems = [f"{path.name} is the live file" for path in listed if path.samefile(live)]
    inodes = Counter(path.stat().st_ino for path in listed)
    problems += [
        f"{path.name} repeats another generation"
        for path in listed
        if inodes[path.stat().st_ino] > 1
    ]
    problems += [f"{path.name} is unreadable" for path in listed if fingerprint(path) is None]
    if len(listed) > keep:
        problems.append(f"{len(listed)} generations > keep {keep}")
    return problems


def stamp(path: Path) -> str | None:
    try:
        return stamp_of(path)
    except duckdb.Error:
        return None


def pair_problems(live: Path) -> list[str]:
    """The live pair, and every generation pair, is one publish (the same stamp inside both)."""
    serving = serving_path(live)
    problems = []
    if stamp(live) is None or stamp(live) != stamp(serving):
        problems.append(f"live pair: warehouse {stamp(live)}, serving {stamp(serving)}")
    folder = live.parent / "generations"
    for generation in sorted(folder.glob(f"{live.stem}.*")) if folder.is_dir() else []:
        twin = folder / (serving.stem + generation.name[len(live.stem) :])
        if not twin.exists() or stamp(generation) != stamp(twin):
            problems.append(
                f"generation {generation.name}: serving twin {twin.name} missing or other"
            )
    return problems


def check_after_kill(
    live: Path, before: str, reference: list[tuple], keep: int
) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {name: [] for name in PROBLEMS}
    now = fingerprint(live)
    if now is None:
        found["unreadable"].append("live file unreadable")
    if not serving_readable(live):
        found["unreadable"].append("live serving file unreadable")
    elif digest(live) != before and now != reference:
        found["changed"].append("live file is neither the old nor a complete new warehouse")
    cleanup = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "refresh.py"), "cleanup"],
        env=environment(live),
        capture_output=True,
        text=True,
        check=False,
    )
    if cleanup.returncode != 0:
        found["blocked"].append(
            f"cleanup exit {cleanup.returncode}: {cleanup.stderr.strip()[-300:]}"
        )
    staging = live.parent / ".staging"
    pending = (
        list((live.parent / "generations").glob(".*"))
        if (live.parent / "generations").is_dir()
        else []
    )
    if (staging.is_dir() and any(staging.iterdir())) or pending:
        found["leftover"].append(
            f"staging {list(staging.iterdir()) if staging.is_dir() else []}, pending {pending}"
        )
    found["bad_generations"] = generation_problems(live, keep)
    found["mismatched_pair"] = pair_problems(live)
    return found


def timed_refresh(live: Path) -> float:
    started = time.monotonic()
    result = subprocess.run(
        ["make", "--no-print-directory", "-C", str(REPO), "refresh"],
        env=environment(live),
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(
            f"soak: the baseline refresh failed (exit {result.returncode}):\n"
            + result.stderr[-3000:]
        )
    return time.monotonic() - started


def plan(kills: int, forced_every: int) -> list[str]:
    """'random' or a publish step per kill; each forced_every-th is forced (PUBLISH_STEPS order)."""
    steps = iter(PUBLISH_STEPS * kills)
    return [next(steps) if index % forced_every == 0 else "random" for index in range(kills)]


def report_text(args, rows, totals, duration, refresh_seconds, final_ok, misses) -> str:
    moments = Counter("random" if row["kind"] == "random" else row["kind"] for row in rows)
    lines = [
        "# Kill soak: last report",
        "",
        f"`make soak` (scripts/soak.py), {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}: "
        f"{len(rows)} SIGKILLs of the whole `make refresh` process group (seed {args.seed}); one "
        f"undisturbed refresh took {refresh_seconds:.0f} s"
        f"{' (given)' if args.refresh_seconds else ''}; the soak {duration / 60:.1f} min.",
        "",
        "| kill moment | kills |",
        "|---|---|",
        *(
            f"| {'random moment of a running refresh' if kind == 'random' else 'publish, ' + kind} "
            f"| {count} |"
            for kind, count in sorted(moments.items())
        ),
        "",
        f"Random moments are drawn in 0…{refresh_seconds:.0f} s; {misses} draw(s) fell after the "
        "refresh had finished, killed nothing and were drawn again (not counted above).",
        "",
        "| check after each kill | count |",
        "|---|---|",
        *(f"| {name.replace('_', ' ')} | {totals[name]} |" for name in PROBLEMS),
        f"| final `make refresh` published | {'yes' if final_ok else 'NO'} |",
        "",
        "Where the random kills landed (from the last line the refresh had logged):",
        "",
        "| phase | kills |",
        "|---|---|",
        *(
            f"| {where} | {count} |"
            for where, count in Counter(
                row["where"] for row in rows if row["kind"] == "random"
            ).most_common()
        ),
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=50)
    parser.add_argument(
        "--forced-every", type=int, default=5, help="every Nth kill is at a publish step"
    )
    parser.add_argument("--seed", type=int, default=None)
    parser.add_argument(
        "--live-from",
        type=Path,
        help="start from a copy of this warehouse (skips the baseline build)",
    )
    parser.add_argument(
        "--refresh-seconds",
        type=float,
        help="how long a refresh takes (random kills fall in 0…1.1× this); default: time one",
    )
    parser.add_argument("--report", type=Path)
    parser.add_argument("--workdir", type=Path)
    args = parser.parse_args(argv)
    args.seed = args.seed if args.seed is not None else random.SystemRandom().randrange(10**6)
    rng = random.Random(args.seed)
    keep = int(os.environ.get("DCI_KEEP_GENERATIONS", "3"))
    started = time.monotonic()
    workdir = Path(tempfile.mkdtemp(prefix="soak-", dir=args.workdir))
    live = workdir / "live" / "digital_city_index.duckdb"
    live.parent.mkdir(parents=True)
    if args.live_from:
        shutil.copy2(args.live_from, live)
        if serving_path(args.live_from).exists():
            shutil.copy2(serving_path(args.live_from), serving_path(live))
    if args.refresh_seconds and live.exists():
        refresh_seconds = args.refresh_seconds
    else:
        refresh_seconds = timed_refresh(
            live
        )  # a publish over an existing file: the timing kills aim at
    reference = fingerprint(live)
    rows, totals, misses = [], Counter({name: 0 for name in PROBLEMS}), 0
    for index, kind in enumerate(plan(args.kills, args.forced_every), start=1):
        before = digest(live)
        if kind == "random":
            # A draw after the refresh finished kills nothing: not counted, the soak draws again.
            while (where := kill_at_random(live, rng.uniform(0, refresh_seconds))) is None:
                misses += 1
                before = digest(live)
        else:
            where = kill_at_step(live, kind)
        found = check_after_kill(live, before, reference, keep)
        rows.append({"kind": kind, "where": where})
        for name, problems in found.items():
            totals[name] += len(problems)
            for problem in problems:
                print(f"kill {index} ({where}): {name}: {problem}", file=sys.stderr)
        print(
            f"kill {index}/{args.kills}: {where if kind == 'random' else 'publish ' + kind}",
            flush=True,
        )
    final = subprocess.run(
        ["make", "--no-print-directory", "-C", str(REPO), "refresh"],
        env=environment(live),
        capture_output=True,
        text=True,
        check=False,
    )
    final_ok = final.returncode == 0 and fingerprint(live) == reference
    text = report_text(
        args, rows, totals, time.monotonic() - started, refresh_seconds, final_ok, misses
    )
    print(text)
    if args.report:
        args.report.write_text(text, encoding="utf-8")
    shutil.rmtree(workdir, ignore_errors=True)
    return 0 if final_ok and not any(totals.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
