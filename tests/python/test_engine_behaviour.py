"""Engine behaviour that dbt's own tests cannot express: errors raised at run time, and a
rebuild producing identical marts."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from warehouse_utils import mart_differences, marts_snapshot

DBT = str(Path(sys.executable).with_name("dbt"))


def dbt(repo: Path, database: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, DBT_PROFILES_DIR=str(repo), DCI_DUCKDB_PATH=str(database))
    return subprocess.run([DBT, *args], cwd=repo, env=env, capture_output=True, text=True, check=False)


@pytest.mark.parametrize(
    "expression,message",
    [
        ("normalise_minmax('3.0', '5.0', '5.0', '1', \"'demo indicator'\")", "zero range"),
        ("normalise_zscore('3.0', '5.0', '0.0', '1', \"'demo indicator'\")", "zero standard deviation"),
        ("normalise_percentile('1', '1', \"'demo indicator'\")", "fewer than two values"),
    ],
)
def test_degenerate_normalisation_is_an_error_not_a_silent_zero(repo, tmp_path, expression, message):
    result = dbt(repo, tmp_path / "show.duckdb", "show", "--inline", f"select {{{{ {expression} }}}} as score")
    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert message in output and "demo indicator" in output


def test_rebuilding_gives_identical_marts_bit_for_bit(repo, tmp_path):
    built = Path(os.environ.get("DCI_DUCKDB_PATH", repo / "target/test/digital_city_index.duckdb"))
    if not built.exists():
        pytest.skip(f"no built warehouse at {built} (run `make dbt-test` first)")
    database = tmp_path / "rebuild.duckdb"
    shutil.copy2(built, database)
    before = marts_snapshot(database)
    assert len(before) >= 19
    result = dbt(repo, database, "run", "--select", "path:models")
    assert result.returncode == 0, result.stdout[-3000:]
    assert not mart_differences(before, marts_snapshot(database), exact=True)
