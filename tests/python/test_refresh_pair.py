"""The warehouse and the serving database are published as one pair (issue 8): a SIGKILL of
`make refresh` (as cron runs it) between the two swaps leaves a new warehouse beside the old
serving file, and the next operation — a refresh, a rollback — makes the live pair one generation
again, with the counts of the input and a rollback that restores pairs and refuses a mismatched
one. Readers tell a pair by the generation id stamped inside both files (`meta.generation`).
"""

from __future__ import annotations

import contextlib
import os
import subprocess
import sys
from pathlib import Path

import duckdb
from refresh_fixtures import (
    EXIT_INPUT_REJECTED,
    EXIT_OK,
    make,
    output,
    run_until,
)
from warehouse_utils import file_digest, marts_snapshot

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
from serving_path import serving_path  # noqa: E402  (scripts/ is not a package)

BETWEEN = "publish paused at between_files"
DUCKDB1_DIR = Path(
    os.environ.get("DCI_DUCKDB1_DIR", Path(__file__).resolve().parents[2] / "target" / "duckdb1")
)


def stamp(path: Path) -> str:
    with contextlib.closing(duckdb.connect(str(path), read_only=True)) as con:
        return con.execute("select generation_id from meta.generation").fetchone()[0]


def stamps(live: Path) -> tuple[str, str]:
    return stamp(live), stamp(serving_path(live))


def ranked_units(live: Path) -> dict[str, int]:
    """What a BI tool counts in the serving file: ranked units per framework."""
    with contextlib.closing(duckdb.connect(str(serving_path(live)), read_only=True)) as con:
        return dict(
            con.execute(
                "select framework_id, count(*) from reporting.rankings group by 1"
            ).fetchall()
        )


def generation_pairs(live: Path) -> list[tuple[str, str, str]]:
    """(name id, warehouse stamp, serving stamp) of every generation, oldest first."""
    folder = live.parent / "generations"
    pairs = []
    for path in sorted(folder.glob(f"{live.stem}.*")):
        name_id = path.name[len(live.stem) + 1 : -len(".duckdb")]
        twin = folder / f"{serving_path(live).stem}.{name_id}.duckdb"
        assert twin.exists(), f"{path.name} has no serving twin"
        pairs.append((name_id, stamp(path), stamp(twin)))
    return pairs


def no_leftovers(live: Path) -> None:
    assert not list((live.parent / "generations").glob(".*")), "journal or pending file left"


def kill_between_swaps(repo: Path, live: Path, old: str) -> str:
    """SIGKILL `make refresh` after the warehouse swap, before the serving file's; returns the
    new warehouse's generation id."""
    run_until(repo, live, BETWEEN, DCI_PUBLISH_PAUSE="between_files")
    new_warehouse, serving = stamps(live)
    assert serving == old and new_warehouse != old, "the kill did not split the pair"
    return new_warehouse


def test_a_kill_between_the_swaps_is_completed_by_the_next_refresh(repo, baseline, live_copy):
    old = stamp(live_copy)
    assert stamps(live_copy) == (old, old)
    killed = kill_between_swaps(repo, live_copy, old)

    result = make(repo, live_copy)
    assert result.returncode == EXIT_OK, output(result)[-3000:]
    assert (
        "a publish was killed between its swaps: completing it "
        f"(the live pair is generation {killed})" in output(result)
    )
    new, serving = stamps(live_copy)
    assert new == serving and new not in (old, killed)
    # The killed publish's pair was completed, then displaced by this one: two whole pairs.
    assert generation_pairs(live_copy) == [(killed, old, old), (new, killed, killed)]
    assert marts_snapshot(live_copy) == baseline["snapshot"]
    assert ranked_units(live_copy) == ranked_units(baseline["live"])
    no_leftovers(live_copy)
    # A BI tool embedding DuckDB 1.x reads the stamp from the serving file.
    seen = subprocess.run(
        [
            sys.executable,
            "-c",
            "import duckdb, sys; print(duckdb.__version__, duckdb.connect(sys.argv[1], "
            "read_only=True).execute('select generation_id from meta.generation').fetchone()[0])",
            str(serving_path(live_copy)),
        ],
        env=dict(os.environ, PYTHONPATH=str(DUCKDB1_DIR)),
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    assert seen[0].startswith("1.") and seen[1] == new


def test_a_kill_between_the_swaps_then_rollback_restores_whole_pairs(repo, live_copy):
    old = stamp(live_copy)
    old_files = file_digest(live_copy), file_digest(serving_path(live_copy))
    killed = kill_between_swaps(repo, live_copy, old)

    result = make(repo, live_copy, None, "rollback")
    assert result.returncode == EXIT_OK, output(result)[-3000:]
    assert "a publish was killed between its swaps: completing it" in output(result)
    assert (file_digest(live_copy), file_digest(serving_path(live_copy))) == old_files
    assert stamps(live_copy) == (old, old)
    [(displaced, *pair)] = generation_pairs(live_copy)
    assert displaced.endswith(".rolled_back") and pair == [killed, killed]
    no_leftovers(live_copy)

    # A pair whose serving file comes from another publish (edited by hand) is refused.
    generation = live_copy.parent / "generations" / f"{live_copy.stem}.{displaced}.duckdb"
    twin = generation.parent / f"{serving_path(live_copy).stem}.{displaced}.duckdb"
    with contextlib.closing(duckdb.connect(str(twin))) as con:
        con.execute("update meta.generation set generation_id = '20260101T000000.by-hand'")
    result = make(repo, live_copy, None, "rollback", f"TO={generation}")
    assert result.returncode == EXIT_INPUT_REJECTED, output(result)[-3000:]
    assert (
        f"rollback refused: generation {displaced} is a mismatched pair: "
        f"digital_city_index.duckdb from publish {killed}, "
        "digital_city_index_serving.duckdb from publish 20260101T000000.by-hand" in output(result)
    )
    assert (file_digest(live_copy), file_digest(serving_path(live_copy))) == old_files

    with contextlib.closing(duckdb.connect(str(twin))) as con:
        con.execute("update meta.generation set generation_id = ?", [killed])
    # Naming the pair by its serving file works as well as by the warehouse file.
    result = make(repo, live_copy, None, "rollback", f"TO={twin}")
    assert result.returncode == EXIT_OK, output(result)[-3000:]
    assert stamps(live_copy) == (killed, killed)
    assert [pair[1:] for pair in generation_pairs(live_copy)] == [(old, old)]


def test_a_split_pair_whose_serving_file_vanished_is_undone(repo, live_copy, tmp_path):
    """The Airflow publish task killed between the swaps, and the staged serving file deleted
    before the next run: the publish cannot be completed, so the old pair is put back."""
    old = stamp(live_copy)
    old_files = file_digest(live_copy), file_digest(serving_path(live_copy))
    candidate = tmp_path / "candidate" / live_copy.name
    candidate.parent.mkdir()
    for source, target in (
        (live_copy, candidate),
        (serving_path(live_copy), serving_path(candidate)),
    ):
        target.write_bytes(source.read_bytes())
    python = str(repo / ".venv" / "bin" / "python")
    run_until(
        repo,
        live_copy,
        BETWEEN,
        [python, str(repo / "scripts" / "refresh.py"), "publish", "--candidate", str(candidate)],
        DCI_PUBLISH_PAUSE="between_files",
    )
    assert stamp(serving_path(live_copy)) == old != stamp(live_copy)
    [staged] = (live_copy.parent / "generations").glob(".incoming.digital_city_index_serving.*")
    staged.unlink()

    result = make(repo, live_copy, None, "rollback")
    assert result.returncode == EXIT_INPUT_REJECTED, output(result)[-3000:]
    text = output(result)
    assert f"cannot be completed ({staged} is gone): putting the previous pair back" in text
    assert "rollback refused: no generation to roll back to" in text
    assert (file_digest(live_copy), file_digest(serving_path(live_copy))) == old_files
    assert stamps(live_copy) == (old, old)
    assert generation_pairs(live_copy) == []
    no_leftovers(live_copy)
