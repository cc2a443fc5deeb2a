"""`make new-framework`: a ninth framework started from an earlier one's tree.

In a copy of the project the command writes the tree, notes, catalog and YAML entries; the test
then does by hand exactly what README "Extending" leaves to a human (a row in frameworks.csv and
one in editions.csv, written here) and builds. Before the rows exist the build stops with a
message naming the file to fill in; after, the new framework is scored, and because its tree,
catalog and values are those of the framework it came from, every unit's composite equals that
framework's.
"""

from __future__ import annotations

import csv
import os
import shutil
import subprocess
from pathlib import Path

import duckdb
import pytest

REPO = Path(__file__).resolve().parents[2]
SOURCE, TARGET = "h3c_dei_2021__city", "h3c_test_2030__city"
PROJECT_ITEMS = ("dbt_project.yml", "profiles.yml", "Makefile", "pyproject.toml", "models",
                 "macros", "seeds", "tests", "analyses", "data", "scripts")  # fmt: skip
# What a human writes (README "Extending"): the framework's row and its new edition's row.
FRAMEWORK_ROW = {
    "framework_id": TARGET,
    "edition_id": "h3c_test_2030",
    "unit_levels": "city",
    "name_zh": "测试城市指数",
    "name_en": "Test City Index (a test fixture, not a published framework)",
    "weights_published": "true",
    "scores_published": "false",
    "ranks_published": "false",
    "source_ref": "tests/python/test_new_framework.py (test fixture)",
}
EDITION_ROW = {
    "edition_id": "h3c_test_2030",
    "publisher_zh": "测试出版方",
    "publisher_en": "Test publisher (fixture)",
    "title_zh": "测试报告（2030）",
    "title_en": "Test report 2030 (a test fixture, not a real report)",
    "report_files": "none.txt",
    "publication_year": "2030",
    "data_year": "2029",
    "source_ref": "tests/python/test_new_framework.py (test fixture)",
}


def run(command: list[str], cwd: Path, **env: str) -> subprocess.CompletedProcess:
    clean = {key: value for key, value in os.environ.items() if not key.startswith("DCI_")}
    full_env = dict(clean, DBT_PROFILES_DIR=str(cwd), **env)
    return subprocess.run(
        command, cwd=cwd, env=full_env, capture_output=True, text=True, check=False
    )


def append_row(path: Path, row: dict[str, str]) -> None:
    with path.open(encoding="utf-8", newline="") as handle:
        header = next(csv.reader(handle))
    assert list(row) == header, f"{path.name} columns changed: {header}"
    with path.open("a", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerow(row.values())


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    project = tmp_path_factory.mktemp("new_framework") / "project"
    project.mkdir()
    for item in PROJECT_ITEMS:
        source = REPO / item
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, project / item)
    for lock in REPO.glob("requirements*.lock"):
        shutil.copy2(lock, project / lock.name)
    (project / ".venv").symlink_to(REPO / ".venv")
    (project / "warehouse").mkdir()
    return project


def dbt_build(project: Path, *select: str) -> subprocess.CompletedProcess:
    raw = project / "data" / "sample"
    return run(
        [
            str(project / ".venv/bin/dbt"),
            "build",
            "--indirect-selection",
            "cautious",
            "--vars",
            f"{{raw_data_dir: '{raw}'}}",
            *select,
        ],  # fmt: skip
        project,
        DCI_DUCKDB_PATH=str(project / "warehouse" / "new.duckdb"),
    )


def test_refuses_to_overwrite_or_guess(project):
    existing = run(["make", "-s", "new-framework", f"FROM={SOURCE}", f"TO={SOURCE}"], project)
    assert existing.returncode != 0
    assert f"TO='{SOURCE}' exists already" in existing.stderr
    unknown = run(
        ["make", "-s", "new-framework", "FROM=h3c_dei_2099__city", f"TO={TARGET}"], project
    )
    assert "FROM='h3c_dei_2099__city' is not a framework here" in unknown.stderr
    assert not (project / "macros" / "frameworks" / f"{TARGET}.sql").exists()


def test_new_framework_from_an_earlier_tree(project):
    created = run(["make", "-s", "new-framework", f"FROM={SOURCE}", f"TO={TARGET}"], project)
    assert created.returncode == 0, created.stdout + created.stderr
    left = created.stdout.split("left to you", 1)[1]
    assert "seeds/reference/frameworks.csv" in left and "seeds/reference/editions.csv" in left
    changed = run(["git", "status", "--porcelain"], REPO)  # the repository itself is untouched
    assert f"{TARGET}" not in changed.stdout

    # Without its frameworks.csv row the build stops and names the file.
    missing = dbt_build(project, "--select", "+dim_frameworks")
    assert missing.returncode != 0
    assert (
        f"framework {TARGET}: macros/frameworks/{TARGET}.sql has its tree, but "
        "seeds/reference/frameworks.csv has no row for it"
    ) in missing.stdout

    # With the framework row but not its edition's row, the message names editions.csv.
    append_row(project / "seeds" / "reference" / "frameworks.csv", FRAMEWORK_ROW)
    no_edition = dbt_build(project, "--select", "+dim_frameworks")
    assert no_edition.returncode != 0
    assert (
        f"framework {TARGET}: its edition h3c_test_2030 has no row in seeds/reference/editions.csv"
    ) in no_edition.stdout

    # The human parts done; values for the new framework: the source framework's file.
    append_row(project / "seeds" / "reference" / "editions.csv", EDITION_ROW)
    raw = project / "data" / "sample"
    shutil.copy2(raw / f"{SOURCE}.csv", raw / f"{TARGET}.csv")
    built = dbt_build(project)
    assert built.returncode == 0, built.stdout[-5000:]

    with duckdb.connect(str(project / "warehouse" / "new.duckdb"), read_only=True) as con:
        framework = con.execute(
            "select n_pillars, n_leaf_indicators, tree_depth, publisher_en, scores_published "
            "from marts.dim_frameworks where framework_id = ?",
            [TARGET],
        ).fetchone()
        assert framework == (4, 46, 3, "Test publisher (fixture)", False)
        scores = con.execute(
            """
            select new.unit_id, new.composite_score, old.composite_score, new.composite_rank,
                old.composite_rank
            from marts.fct_index_scores as new
            inner join marts.fct_index_scores as old
                on new.unit_id = old.unit_id and old.framework_id = ?
            where new.framework_id = ?
            """,
            [SOURCE, TARGET],
        ).fetchall()
        n_source = con.execute(
            "select count(*) from marts.fct_index_scores where framework_id = ?", [SOURCE]
        ).fetchone()[0]
    assert len(scores) == n_source > 200
    for unit_id, new, old, new_rank, old_rank in scores:
        assert new == pytest.approx(old, abs=1e-9), unit_id
        assert new_rank == old_rank, unit_id

    # `make sample` with the ninth framework: the report prints nothing for it yet, so the
    # generator writes no file for it, says why, and every other framework's file is unchanged.
    generated = run(
        [
            str(project / ".venv/bin/python"),
            "scripts/generate_sample.py",
            "--warehouse",
            str(project / "warehouse" / "new.duckdb"),
            "--check",
        ],  # fmt: skip
        project,
    )
    assert f"### {TARGET}\n  no sample values: no printed ranking table" in generated.stdout
    assert "FAILED" not in generated.stdout
    stale = generated.stdout.split("sample out of date:", 1)[1].splitlines()[1:]
    # Only the README (its calibration report names the ninth framework) and the value file
    # copied in above differ; the eight frameworks' files are byte for byte what they were.
    assert [line.strip().split(":")[0] for line in stale if line.strip()] == [
        "README.md",
        f"{TARGET}.csv",
    ]
