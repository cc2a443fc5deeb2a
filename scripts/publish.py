"""Pair-consistent, crash-safe publish and honest rollback of the live files (docs/operations.md).

A refresh publishes a pair: the warehouse, then the serving database BI tools open
(`published_files()` in refresh.py). Both carry the same generation id inside (table
`meta.generation`, stamped into each candidate just before the swap), so a reader can tell that
two files belong together. Each published file keeps its earlier versions in `generations/`
beside it, named `<stem>.<id><suffix>`, where <id> is the publish (or rollback) that displaced
them: the same id across files marks one pair.

    0. stamp and checkpoint each candidate; move it to generations/.incoming.<stem>.<id><suffix>
    1. write the journal generations/.publish-journal.json (fsynced): for each file, the live
       path, the incoming file and its inode, the pending and the generation name
    then for each file, in order:
    2. link    live → generations/.retiring.<stem>.<id><suffix>  (a pending entry, not listed)
    3. replace incoming → live                                  (atomic rename; readers of the
                                                                 old inode keep reading it)
    4. rename  the pending entry → generations/<stem>.<id><suffix>  (now in the list)
    5. remove the journal; prune each list to its length.

`recover()` runs under the refresh lock before every publish, rollback and refresh. A journal is
settled first, with the first file's replace as the commit point: if no live file is the
journal's yet (compared by inode), the publish is dropped and the old pair stays live; if one is,
the others are swapped in too (roll forward), or, should a file that needs has vanished, the
swapped ones are put back (undo). So after a kill at any instruction and the next operation the
live pair is one generation. Then, per file: a pending entry that is still the live file is
dropped, any other joins the list; an incoming file without a journal, and a listed entry that is
the live file or repeats another, are dropped; the list is pruned.

A rollback moves a generation pair back with the same journaled steps (a generation leaves the
list in the instant it becomes live). It refuses when it would change nothing, when a file of the
pair is missing or unreadable, and when the two files' stamps differ (a mismatched pair).

Test hook: DCI_PUBLISH_PAUSE=<step> makes publish print `publish paused at <step>` to stderr and
sleep, so the kill tests can SIGKILL it exactly there: after_journal, after_link, after_replace,
after_rename (first file), between_files, after_link_2, after_replace_2, after_rename_2.
"""

from __future__ import annotations

import contextlib
import filecmp
import json
import logging
import os
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb

log = logging.getLogger("refresh")
PENDING_PREFIX = ".retiring."
INCOMING_PREFIX = ".incoming."
JOURNAL = ".publish-journal.json"
ROLLED_BACK = ".rolled_back"  # marks a generation displaced by a rollback (not a default target)
STAMP_TABLE = "meta.generation"


@dataclass(frozen=True)
class Published:
    """One live file and where its candidate is built inside a staging folder."""

    live: Path
    # A query that succeeds only on a complete file of this kind (rollback refuses a generation
    # that fails it).
    probe: str = "select count(*) from marts.fct_index_scores"

    @property
    def generations(self) -> Path:
        return self.live.parent / "generations"

    def candidate_in(self, folder: Path) -> Path:
        return folder / self.live.name

    def _named(self, prefix: str, generation_id: str) -> Path:
        return self.generations / f"{prefix}{self.live.stem}.{generation_id}{self.live.suffix}"

    def generation(self, generation_id: str) -> Path:
        return self._named("", generation_id)

    def pending(self, generation_id: str) -> Path:
        return self._named(PENDING_PREFIX, generation_id)

    def incoming(self, generation_id: str) -> Path:
        return self._named(INCOMING_PREFIX, generation_id)

    def listed(self) -> list[Path]:
        """The generation list, newest first (ids start with a sortable UTC timestamp)."""
        if not self.generations.is_dir():
            return []
        prefix = f"{self.live.stem}."
        return sorted(
            (
                path
                for path in self.generations.iterdir()
                if path.name.startswith(prefix) and path.name.endswith(self.live.suffix)
            ),
            key=lambda path: path.name,
            reverse=True,
        )

    def generation_id(self, generation: Path) -> str:
        return generation.name[len(self.live.stem) + 1 : -len(self.live.suffix)]


def pause(step: str) -> None:
    if os.environ.get("DCI_PUBLISH_PAUSE") == step:
        print(f"publish paused at {step}", file=sys.stderr, flush=True)
        time.sleep(3600)


def fsync_dir(folder: Path) -> None:
    descriptor = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def fsync_file(path: Path) -> None:
    with path.open("rb") as handle:
        os.fsync(handle.fileno())


def same_file(first: Path, second: Path) -> bool:
    try:
        return os.path.samefile(first, second)
    except FileNotFoundError:
        return False


def inode(path: Path | str) -> list[int] | None:
    try:
        status = os.stat(path)
    except FileNotFoundError:
        return None
    return [status.st_dev, status.st_ino]


def new_generation_id() -> str:
    return (
        time.strftime("%Y%m%dT%H%M%S", time.gmtime())
        + f".{time.time_ns() % 10**9:09d}.{os.getpid()}"
    )


# --- the generation stamp inside each file ----------------------------------------------------


def seal(candidate: Path, generation_id: str) -> None:
    """Stamp the generation id into the candidate and checkpoint it, so the swapped-in file is
    complete on its own (no .wal beside it)."""
    with contextlib.closing(duckdb.connect(str(candidate))) as con:
        con.execute("create schema if not exists meta")
        con.execute(
            f"create or replace table {STAMP_TABLE} (generation_id varchar, stamped_at timestamp)"
        )
        con.execute(
            f"insert into {STAMP_TABLE} values (?, ?)",
            [generation_id, datetime.now(UTC).replace(tzinfo=None)],
        )
        con.execute(
            f"comment on table {STAMP_TABLE} is 'The publish this file belongs to (UTC): the "
            "warehouse and the serving database of one publish carry the same generation_id "
            "(scripts/publish.py).'"
        )
        con.execute("checkpoint")
    wal = candidate.with_name(candidate.name + ".wal")
    if wal.exists():
        raise RuntimeError(f"candidate still has a write-ahead log: {wal}")
    fsync_file(candidate)


def stamp_of(path: Path) -> str | None:
    """The generation id stamped inside a published file (None: published before stamps)."""
    with contextlib.closing(duckdb.connect(str(path), read_only=True)) as con:
        try:
            return con.execute(f"select generation_id from {STAMP_TABLE}").fetchone()[0]
        except duckdb.CatalogException:
            return None


# --- the journal: swap a pair, resumable ----------------------------------------------------


def journal_path(targets: list[Published]) -> Path:
    return targets[0].generations / JOURNAL


def swap_step(target: Published, source: Path, displaced_id: str) -> dict:
    """One file's entry in the journal: `source` replaces the live file, which is kept as the
    generation `displaced_id`."""
    return {
        "live": str(target.live),
        "source": str(source),
        "source_inode": inode(source),
        "pending": str(target.pending(displaced_id)) if target.live.exists() else None,
        "generation": str(target.generation(displaced_id)),
    }


def write_journal(targets: list[Published], operation: str, generation_id: str, steps: list[dict]):
    path = journal_path(targets)
    path.parent.mkdir(parents=True, exist_ok=True)
    scratch = path.with_name(path.name + ".tmp")
    with scratch.open("w", encoding="utf-8") as handle:
        json.dump({"operation": operation, "generation_id": generation_id, "steps": steps}, handle)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(scratch, path)
    fsync_dir(path.parent)


def swapped(step: dict) -> bool:
    return step["source_inode"] is not None and inode(step["live"]) == step["source_inode"]


def swap(step: dict, index: int, pause_steps: bool) -> None:
    """Steps 2-4 for one file; each is skipped when a killed run already did it."""
    live, source = Path(step["live"]), Path(step["source"])
    pending = Path(step["pending"]) if step["pending"] else None
    suffix = "" if index == 0 else f"_{index + 1}"
    if not swapped(step):
        if pending is not None and not pending.exists():
            os.link(live, pending)  # same inode: free, and the old readers' file
            fsync_dir(pending.parent)
        if pause_steps:
            pause(f"after_link{suffix}")
        os.replace(source, live)
        fsync_dir(live.parent)
        if pause_steps:
            pause(f"after_replace{suffix}")
    if pending is not None and pending.exists():
        os.replace(pending, step["generation"])
        fsync_dir(pending.parent)
        if pause_steps:
            pause(f"after_rename{suffix}")


def unswap(step: dict) -> None:
    """Undo one file's swap: the source goes back where it came from, the old file back live."""
    live, source = Path(step["live"]), Path(step["source"])
    if not source.exists():
        os.link(live, source)
    if step["pending"] is None:  # a first publish: there was no live file before it
        live.unlink()
    else:
        old = next(
            (Path(name) for name in (step["pending"], step["generation"]) if Path(name).exists()),
            None,
        )
        if old is None:
            raise RuntimeError(
                f"cannot put the previous {live.name} back: {step['generation']} is gone"
            )
        os.replace(old, live)
    fsync_dir(live.parent)


def run_journal(targets: list[Published], journal: dict, pause_steps: bool) -> None:
    for index, step in enumerate(journal["steps"]):
        if index and pause_steps:
            pause("between_files")
        swap(step, index, pause_steps)
    journal_path(targets).unlink()
    fsync_dir(journal_path(targets).parent)


def swap_pair(
    targets: list[Published], operation: str, generation_id: str, steps: list[dict], pause_steps
) -> None:
    """Steps 1-5: journal first, so that a kill anywhere after it is settled by the next run."""
    write_journal(targets, operation, generation_id, steps)
    if pause_steps:
        pause("after_journal")
    try:
        run_journal(targets, {"steps": steps}, pause_steps)
    except Exception:  # not a kill: settle now rather than at the next operation, if we can
        with contextlib.suppress(Exception):
            settle_journal(targets)
        raise


def settle_journal(targets: list[Published]) -> None:
    """Finish (roll forward) or drop/undo a publish or rollback a kill left half done."""
    path = journal_path(targets)
    with contextlib.suppress(FileNotFoundError):
        path.with_name(path.name + ".tmp").unlink()  # killed while writing: nothing started
    if not path.exists():
        return
    journal = json.loads(path.read_text(encoding="utf-8"))
    what, generation_id, steps = journal["operation"], journal["generation_id"], journal["steps"]
    done = [swapped(step) for step in steps]
    missing = [
        step["source"]
        for step, is_done in zip(steps, done, strict=True)
        if not is_done and inode(step["source"]) != step["source_inode"]
    ]
    if not any(done):
        log.info(
            "a %s was killed before its first swap: dropping it (the live pair is unchanged)", what
        )
        path.unlink()
    elif not missing:
        log.info(
            "a %s was killed between its swaps: completing it (the live pair is generation %s)",
            what,
            generation_id,
        )
        run_journal(targets, journal, pause_steps=False)
        return
    else:
        log.error(
            "a %s was killed between its swaps and cannot be completed (%s is gone): "
            "putting the previous pair back",
            what,
            ", ".join(missing),
        )
        for step, is_done in zip(steps, done, strict=True):
            if is_done:
                unswap(step)
        path.unlink()
    fsync_dir(path.parent)


# --- recovery, publish, rollback ------------------------------------------------------------


def recover(targets: list[Published], keep: int) -> None:
    """Settle a journal, then clean every file's generations (call with the refresh lock held)."""
    settle_journal(targets)
    for target in targets:
        recover_file(target, keep)


def recover_file(target: Published, keep: int) -> None:
    if not target.generations.is_dir():
        return
    for incoming in sorted(target.generations.glob(f"{INCOMING_PREFIX}{target.live.stem}.*")):
        log.info("dropping %s: its publish was not completed", incoming.name)
        incoming.unlink()
    for pending in sorted(target.generations.glob(f"{PENDING_PREFIX}{target.live.stem}.*")):
        if same_file(pending, target.live):
            log.info(
                "a publish was killed before its swap: dropping %s (it is the live file)",
                pending.name,
            )
            pending.unlink()
        else:
            final = target.generations / pending.name[len(PENDING_PREFIX) :]
            log.info(
                "a publish was killed after its swap: keeping the previous file as %s",
                final.name,
            )
            os.replace(pending, final)
    kept: list[Path] = []
    for generation in target.listed():
        if same_file(generation, target.live) or any(
            same_file(generation, other) for other in kept
        ):
            log.info(
                "dropping generation %s: it is the live file or another generation", generation.name
            )
            generation.unlink()
        else:
            kept.append(generation)
    prune(target, keep)  # a kill before the prune of step 5 left one too many
    fsync_dir(target.generations)


def publish(targets: list[Published], staging_folder: Path, keep: int) -> str:
    """Swap the candidates in staging_folder in as one pair; returns its generation id."""
    recover(targets, keep)
    generation_id = new_generation_id()
    steps = []
    for target in targets:
        candidate = target.candidate_in(staging_folder)
        seal(candidate, generation_id)
        target.generations.mkdir(parents=True, exist_ok=True)
        incoming = target.incoming(generation_id)
        os.replace(candidate, incoming)
        fsync_dir(target.generations)
        steps.append(swap_step(target, incoming, generation_id))
    swap_pair(targets, "publish", generation_id, steps, pause_steps=True)
    for target, step in zip(targets, steps, strict=True):
        if step["pending"] is not None:
            log.info("kept the previous file as %s", step["generation"])
        log.info("published %s (generation %s)", target.live, generation_id)
        prune(target, keep)
    return generation_id


def prune(target: Published, keep: int) -> None:
    for old in target.listed()[keep:]:
        log.info("dropping old generation %s (keeping %d)", old.name, keep)
        old.unlink()


class RollbackRefused(Exception):
    """A rollback that would not change the live file, or has nothing to restore."""


def readable(path: Path, probe: str) -> bool:
    try:
        with contextlib.closing(duckdb.connect(str(path), read_only=True)) as con:
            con.execute(probe).fetchone()
        return True
    except duckdb.Error:
        return False


def rollback(targets: list[Published], to: Path | None, keep: int) -> str:
    """Put a generation pair back live; the displaced live pair stays a generation."""
    main = targets[0]
    recover(targets, keep)
    if to is not None:
        # Either file of a generation pair names the pair (the warehouse's or the serving one's).
        owners = [
            target
            for target in targets
            if to.parent.resolve() == target.generations.resolve()
            and to.name.startswith(f"{target.live.stem}.")
            and to.name.endswith(target.live.suffix)
        ]
        chosen_id = owners[0].generation_id(to) if owners else None
        if chosen_id is None or not to.exists():
            names = " or ".join(f"{t.live.stem}.<id>{t.live.suffix}" for t in targets)
            raise RollbackRefused(f"{to} is not a generation ({names}) in {main.generations}")
    else:
        defaults = [path for path in main.listed() if ROLLED_BACK not in path.name]
        if not defaults:
            raise RollbackRefused(f"no generation to roll back to in {main.generations}")
        chosen_id = main.generation_id(defaults[0])
    stamps = {}
    for target in targets:
        chosen = target.generation(chosen_id)
        if not chosen.exists():
            raise RollbackRefused(f"generation {chosen_id} has no {target.live.name}")
        if target.live.exists() and (
            same_file(chosen, target.live) or filecmp.cmp(chosen, target.live, shallow=False)
        ):
            raise RollbackRefused(
                f"{chosen.name} is identical to the live {target.live.name}: "
                "rollback would change nothing"
            )
        if not readable(chosen, target.probe):
            raise RollbackRefused(f"{chosen} is not a readable warehouse")
        stamps[target.live.name] = stamp_of(chosen)
    if len(set(stamps.values())) > 1:
        raise RollbackRefused(
            f"generation {chosen_id} is a mismatched pair: "
            + ", ".join(
                f"{name} from publish {stamp or '(unstamped)'}" for name, stamp in stamps.items()
            )
        )
    displaced_id = new_generation_id() + ROLLED_BACK
    steps = [swap_step(target, target.generation(chosen_id), displaced_id) for target in targets]
    swap_pair(targets, "rollback", chosen_id, steps, pause_steps=False)
    for target in targets:
        log.info(
            "rolled back %s to generation %s (publish %s; the file it replaced is generation %s)",
            target.live,
            chosen_id,
            stamps[target.live.name] or "unstamped",
            displaced_id,
        )
        prune(target, keep)
    return chosen_id
