"""Engine behaviour that dbt's own tests cannot express: errors raised at run time, and a
rebuild producing identical marts."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from warehouse_utils import mart_differences, marts_snapshot

DBT = str(Path(sys.executable).with_name("dbt"))


def dbt(repo: Path, database: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, DBT_PROFILES_DIR=str(repo), DCI_DUCKDB_PATH=str(database))
    return subprocess.run(
        [DBT, *args], cwd=repo, env=env, capture_output=True, text=True, check=False
    )


@pytest.mark.parametrize(
    "expression,message",
    [
        ("normalise_minmax('3.0', '5.0', '5.0', '1', \"'demo indicator'\")", "zero range"),
        (
            "normalise_zscore('3.0', '5.0', '0.0', '1', \"'demo indicator'\")",
            "zero standard deviation",
        ),
        ("normalise_percentile('1', '1', \"'demo indicator'\")", "fewer than two values"),
    ],
)
def test_degenerate_normalisation_is_an_error_not_a_silent_zero(
    repo, tmp_path, expression, message
):
    result = dbt(
        repo,
        tmp_path / "show.duckdb",
        "show",
        "--inline",
        f"select {{{{ {expression} }}}} as score",
    )
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


def test_dominance_check_catches_a_dominated_unit_ranked_above_its_dominator(repo, tmp_path):
    """Swap the composite ranks of two neighbouring units where the better one dominates the
    worse on every pillar: the bounded dominance test (O(n·W), docs/engine.md §6) must fail."""
    built = Path(os.environ.get("DCI_DUCKDB_PATH", repo / "target/test/digital_city_index.duckdb"))
    if not built.exists():
        pytest.skip(f"no built warehouse at {built} (run `make dbt-test` first)")
    database = tmp_path / "corrupted.duckdb"
    shutil.copy2(built, database)
    test = "assert_pillar_dominance_implies_higher_rank"
    assert dbt(repo, database, "test", "--select", test).returncode == 0
    with duckdb.connect(str(database)) as con:
        pair = con.execute("""
            with pillars as (
                select framework_id, unit_id, list(score_0_100 order by node_code) as scores
                from marts.fct_node_scores where node_level = 1 group by all
            ),
            ranked as (
                select index.framework_id, index.unit_level, index.unit_id, index.composite_rank,
                    pillars.scores
                from marts.fct_index_scores as index
                inner join pillars using (framework_id, unit_id)
            )
            select better.framework_id, better.unit_id, worse.unit_id, better.composite_rank,
                worse.composite_rank
            from ranked as better
            inner join ranked as worse
                on better.framework_id = worse.framework_id and better.unit_level = worse.unit_level
                and worse.composite_rank = better.composite_rank + 1
            where list_bool_and(
                list_transform(list_zip(better.scores, worse.scores), lambda x: x[1] > x[2])
            )
            order by all limit 1
        """).fetchone()
        assert pair, "the sample has no neighbouring pair where one unit dominates the other"
        framework_id, better, worse, better_rank, worse_rank = pair
        con.execute(
            "update marts.fct_index_scores set composite_rank = ? "
            "where framework_id = ? and unit_id = ?",
            [worse_rank, framework_id, better],
        )
        con.execute(
            "update marts.fct_index_scores set composite_rank = ? "
            "where framework_id = ? and unit_id = ?",
            [better_rank, framework_id, worse],
        )
    result = dbt(repo, database, "test", "--select", test)
    assert result.returncode != 0, result.stdout[-2000:]


@pytest.mark.parametrize("gap,violated", [(1e-14, False), (1e-6, True)])
def test_dominance_is_judged_at_the_ranking_precision(repo, tmp_path, gap, violated):
    """Two neighbouring units given equal pillars, then the lower-ranked one raised on one
    pillar by `gap`. Ranks treat scores equal to 1e-9 as tied (broken by unit_id), so a gap of
    floating-point noise (a mean of children all at 100 can be 99.99999999999999) is no
    violation, while a real gap is."""
    built = Path(os.environ.get("DCI_DUCKDB_PATH", repo / "target/test/digital_city_index.duckdb"))
    if not built.exists():
        pytest.skip(f"no built warehouse at {built} (run `make dbt-test` first)")
    database = tmp_path / "noise.duckdb"
    shutil.copy2(built, database)
    with duckdb.connect(str(database)) as con:
        better, worse = con.execute("""
            select unit_id from marts.fct_index_scores
            where framework_id = 'h3c_cddi_2022__city' and composite_rank in (10, 11)
            order by composite_rank
        """).fetchall()
        con.execute(
            """
            update marts.fct_node_scores as target set score_0_100 = source.score_0_100
            from marts.fct_node_scores as source
            where target.framework_id = 'h3c_cddi_2022__city' and target.node_level = 1
                and source.framework_id = target.framework_id
                and source.node_code = target.node_code
                and source.unit_id = ? and target.unit_id = ?
            """,
            [better[0], worse[0]],
        )
        con.execute(
            """
            update marts.fct_node_scores set score_0_100 = score_0_100 + ?
            where framework_id = 'h3c_cddi_2022__city' and unit_id = ? and node_code = 'p1'
            """,
            [gap, worse[0]],
        )
    result = dbt(repo, database, "test", "--select", "assert_pillar_dominance_implies_higher_rank")
    assert (result.returncode != 0) == violated, result.stdout[-2000:]
    if violated:
        assert "Got 1 result" in result.stdout
