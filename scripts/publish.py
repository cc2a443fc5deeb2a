"""Crash-safe publish and honest rollback of the live warehouse file(s) (docs/operations.md).

Every published file (today the one warehouse; `published_files()` is the list to extend) has
its own generations in `generations/` beside it, named `<stem>.<generation id><suffix>`: the same
generation id across files marks one publish. A SIGKILL at any instruction leaves each live file
either old or new, and the generation list made of distinct earlier warehouses only:

    1. link  live → generations/.retiring.<stem>.<id><suffix>   (a pending entry, not in the list)
    2. replace candidate → live                                  (atomic rename; readers of the old
                                                                  inode keep reading it)
    3. rename the pending entry → generations/<stem>.<id><suffix> (now in the list)

`recover()` (run under the refresh lock before every publish, rollback and refresh) finishes or
undoes what a kill interrupted: a pending entry that is still the live file (killed between 1 and 2)
is dropped, any other (killed between 2 and 3) joins the list; entries that are the live file or
repeat another are dropped, and the list is pruned to its length. A rollback moves a generation back with the same three steps, so the
generation leaves the list in the instant it becomes live, and refuses when it would change nothing.

Test hook: DCI_PUBLISH_PAUSE=<step> (after_link, after_replace, after_rename) makes publish print
`publish paused at <step>` to stderr and sleep, so the kill tests can SIGKILL it exactly there.
"""

from __future__ import annotations

import contextlib
import filecmp
import logging
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import duckdb

log = logging.getLogger("refresh")
PENDING_PREFIX = ".retiring."
ROLLED_BACK = ".rolled_back"  # marks a generation displaced by a rollback (not a default target)


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

    def generation(self, generation_id: str) -> Path:
        return self.generations / f"{self.live.stem}.{generation_id}{self.live.suffix}"

    def pending(self, generation_id: str) -> Path:
        return (
            self.generations / f"{PENDING_PREFIX}{self.live.stem}.{generation_id}{self.live.suffix}"
        )

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


def new_generation_id() -> str:
    return (
        time.strftime("%Y%m%dT%H%M%S", time.gmtime())
        + f".{time.time_ns() % 10**9:09d}.{os.getpid()}"
    )


def recover(target: Published, keep: int) -> None:
    """Finish or undo a publish or rollback a kill interrupted (call with the refresh lock held)."""
    if not target.generations.is_dir():
        return
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
                "a publish was killed after its swap: keeping the previous warehouse as %s",
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
    prune(target, keep)  # a kill before the prune of step 3 left one too many
    fsync_dir(target.generations)


def swap_in(
    target: Published, new_file: Path, generation_id: str, pause_steps: bool = True
) -> Path | None:
    """Steps 1-3 above: keep the live file as a generation, rename new_file over it."""
    live = target.live
    generation = None
    if live.exists():
        target.generations.mkdir(parents=True, exist_ok=True)
        pending = target.pending(generation_id)
        os.link(live, pending)  # same inode: free, and the old readers' file
        fsync_dir(target.generations)
        if pause_steps:
            pause("after_link")
        os.replace(new_file, live)
        fsync_dir(live.parent)
        if pause_steps:
            pause("after_replace")
        generation = target.generation(generation_id)
        os.replace(pending, generation)
        fsync_dir(target.generations)
        if pause_steps:
            pause("after_rename")
    else:
        os.replace(new_file, live)
        fsync_dir(live.parent)
    return generation


def seal(candidate: Path) -> None:
    """Checkpoint the candidate so the swapped-in file is complete on its own (no .wal beside it)."""
    with contextlib.closing(duckdb.connect(str(candidate))) as con:
        con.execute("checkpoint")
    wal = candidate.with_name(candidate.name + ".wal")
    if wal.exists():
        raise RuntimeError(f"candidate still has a write-ahead log: {wal}")
    fsync_file(candidate)


def publish(targets: list[Published], staging_folder: Path, keep: int) -> str:
    """Swap every target's candidate (in staging_folder) in; returns the generation id."""
    generation_id = new_generation_id()
    for target in targets:
        recover(target, keep)
        seal(target.candidate_in(staging_folder))
    for target in targets:
        generation = swap_in(target, target.candidate_in(staging_folder), generation_id)
        if generation is not None:
            log.info("kept the previous warehouse as %s", generation)
        log.info("published %s", target.live)
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
    """Put a generation back as the live file(s); the displaced live file stays a generation."""
    main = targets[0]
    for target in targets:
        recover(target, keep)
    if to is not None:
        chosen_id = (
            main.generation_id(to) if to.parent.resolve() == main.generations.resolve() else None
        )
        if chosen_id is None or not to.exists():
            raise RollbackRefused(f"{to} is not a generation in {main.generations}")
    else:
        defaults = [path for path in main.listed() if ROLLED_BACK not in path.name]
        if not defaults:
            raise RollbackRefused(f"no generation to roll back to in {main.generations}")
        chosen_id = main.generation_id(defaults[0])
    for target in targets:
        chosen = target.generation(chosen_id)
        if not chosen.exists():
            raise RollbackRefused(f"generation {chosen_id} has no {target.live.name}")
        if target.live.exists() and (
            same_file(chosen, target.live) or filecmp.cmp(chosen, target.live, shallow=False)
        ):
            raise RollbackRefused(
                f"{chosen.name} is identical to the live {target.live.name}: rollback would change nothing"
            )
        if not readable(chosen, target.probe):
            raise RollbackRefused(f"{chosen} is not a readable warehouse")
    displaced_id = new_generation_id() + ROLLED_BACK
    for target in targets:
        swap_in(target, target.generation(chosen_id), displaced_id, pause_steps=False)
        log.info(
            "rolled back %s to generation %s (the file it replaced is generation %s)",
            target.live,
            chosen_id,
            displaced_id,
        )
        prune(target, keep)
    return chosen_id
