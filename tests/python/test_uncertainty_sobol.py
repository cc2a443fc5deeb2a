"""The warehouse's Sobol estimator (macros/uncertainty/sobol_indices.sql) on a toy with a known
answer, cross-checked against SALib 1.6.0 on the same Saltelli design.

Toy "framework": a composite y = x1 + 0.5·x2 + 0·x3 of three pillars driven by independent
U(0, 1) inputs, the third pillar constant (it never moves y). Var(y) = (1 + 0.25)/12, so the
analytic indices are S1 = ST = (0.8, 0.2, 0) — no interactions.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import duckdb
import numpy as np
import pytest
from SALib.analyze import sobol as sobol_analyze
from SALib.sample import sobol as sobol_sample

REPO = Path(__file__).resolve().parents[2]
DBT = str(Path(sys.executable).with_name("dbt"))
PROBLEM = {"num_vars": 3, "names": ["x1", "x2", "x3"], "bounds": [[0, 1]] * 3}
ANALYTIC = {"x1": 0.8, "x2": 0.2, "x3": 0.0}
N_BASE, N_RESAMPLES = 1024, 200


@pytest.fixture(scope="module")
def estimator_sql(tmp_path_factory) -> str:
    """The macro compiled by dbt over a relation named toy_outputs."""
    workdir = tmp_path_factory.mktemp("sobol")
    env = dict(
        os.environ, DBT_PROFILES_DIR=str(REPO), DCI_DUCKDB_PATH=str(workdir / "compile.duckdb")
    )
    result = subprocess.run(
        [
            DBT,
            "compile",
            "--quiet",
            "--inline",
            f"{{{{ sobol_indices('toy_outputs', {N_RESAMPLES}, 7) }}}}",
            "--target-path",
            str(workdir / "target"),
            "--log-path",
            str(workdir / "logs"),
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def toy(x: np.ndarray) -> np.ndarray:
    return x[:, 0] + 0.5 * x[:, 1] + 0.0 * x[:, 2]


def design_rows(y: np.ndarray, names: list[str]) -> list[tuple]:
    """SALib's layout (per base row: A, AB_1 … AB_d, B) as the warehouse's design columns."""
    step = len(names) + 2
    rows = []
    for base in range(len(y) // step):
        block = y[base * step : (base + 1) * step]
        rows.append(("toy", "A", base + 1, None, float(block[0])))
        rows += [("toy", "AB", base + 1, name, float(block[1 + j])) for j, name in enumerate(names)]
        rows.append(("toy", "B", base + 1, None, float(block[-1])))
    return rows


def run_estimator(sql: str, rows: list[tuple]) -> dict[str, tuple]:
    con = duckdb.connect()
    con.execute(
        "create table toy_outputs (framework_id varchar, design_matrix varchar, base_row bigint, "
        "resampled_group varchar, y double)"
    )
    con.executemany("insert into toy_outputs values (?, ?, ?, ?, ?)", rows)
    result = con.execute(
        f"select input_group, n_base_draws, s1, s1_conf, st, st_conf from ({sql})"
    ).fetchall()
    return {group: values for group, *values in [(row[0], *row[1:]) for row in result]}


def test_sobol_indices_match_salib_and_the_analytic_answer(estimator_sql):
    x = sobol_sample.sample(PROBLEM, N_BASE, calc_second_order=False, seed=3)
    y = toy(x)
    ours = run_estimator(estimator_sql, design_rows(y, PROBLEM["names"]))
    salib = sobol_analyze.analyze(
        PROBLEM, y, calc_second_order=False, num_resamples=N_RESAMPLES, seed=5
    )

    for j, name in enumerate(PROBLEM["names"]):
        n_base, s1, s1_conf, st, st_conf = ours[name]
        assert n_base == N_BASE
        # Same design, same estimator: the point estimates agree to rounding.
        assert s1 == pytest.approx(salib["S1"][j], abs=1e-9), name
        assert st == pytest.approx(salib["ST"][j], abs=1e-9), name
        # Bootstrap half-widths come from different resamples: same size, not the same digits.
        if salib["S1_conf"][j] > 1e-6:
            assert 0.5 < s1_conf / salib["S1_conf"][j] < 2, (name, s1_conf, salib["S1_conf"][j])
            assert 0.5 < st_conf / salib["ST_conf"][j] < 2, (name, st_conf, salib["ST_conf"][j])
        # The analytic answer lies within the 95 % bootstrap interval (ST exactly 0 for x3).
        assert abs(s1 - ANALYTIC[name]) <= max(s1_conf, 1e-12), (name, s1, s1_conf)
        assert abs(st - ANALYTIC[name]) <= max(st_conf, 1e-12), (name, st, st_conf)
    assert ours["x3"][3] == 0.0 and ours["x3"][4] == 0.0


def test_an_output_no_input_moves_has_zero_indices(estimator_sql):
    x = sobol_sample.sample(PROBLEM, 64, calc_second_order=False, seed=3)
    ours = run_estimator(estimator_sql, design_rows(np.full(len(x), 4.2), PROBLEM["names"]))
    assert {name: (values[1], values[3]) for name, values in ours.items()} == {
        name: (0.0, 0.0) for name in PROBLEM["names"]
    }
