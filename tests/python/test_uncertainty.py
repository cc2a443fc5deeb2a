"""The uncertainty analysis (README "How sure is a rank?") against the properties it must have.

Each test re-runs only the uncertainty models (tag:uncertainty) in a copy of the warehouse that
`make dbt-test` built (DCI_DUCKDB_PATH), with its own vars and few draws, so each takes seconds;
the dominance test also rebuilds the engine on a hand-edited copy of the raw sample. The last
test runs `make uncertainty` itself, as a user does, against a copy of a published live file.
"""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
from refresh_fixtures import EXIT_INPUT_REJECTED, EXIT_OK, generations, make, output, sample_copy
from warehouse_utils import file_digest, mart_differences, marts_snapshot

REPO = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(REPO / "scripts"))
import summary_uncertainty  # noqa: E402  (scripts/ is not a package)

DBT = str(Path(sys.executable).with_name("dbt"))
BUILT = Path(
    os.environ.get("DCI_DUCKDB_PATH", REPO / "target" / "test" / "digital_city_index.duckdb")
)
UNCERTAINTY_MARTS = (
    "fct_rank_uncertainty",
    "fct_tier_probabilities",
    "fct_sensitivity_indices",
    "fct_weight_influence",
)
FEW_DRAWS = {
    "uncertainty": True,
    "uncertainty_draws": 40,
    "uncertainty_sobol_base_draws": 20,
    "uncertainty_bootstrap_resamples": 20,
}
NOTHING_VARIED = {
    "uncertainty_weight_factors": {"1": 0, "2": 0, "3": 0},
    "uncertainty_vary_aggregation": False,
    "uncertainty_normalisation_alternatives": [],
    "uncertainty_vary_imputation": False,
}


def run_uncertainty(
    workdir: Path, name: str, dbt_vars: dict, select: str = "tag:uncertainty"
) -> Path:
    """Copy the built warehouse and re-run `select` in it with `dbt_vars`; returns the copy."""
    assert BUILT.exists(), f"no built warehouse at {BUILT}: run `make dbt-test` first"
    database = workdir / f"{name}.duckdb"
    shutil.copyfile(BUILT, database)
    env = dict(os.environ, DBT_PROFILES_DIR=str(REPO), DCI_DUCKDB_PATH=str(database))
    result = subprocess.run(
        [
            DBT,
            "run",
            "--quiet",
            "--select",
            select,
            "--vars",
            json.dumps(dbt_vars),
            "--target-path",
            str(workdir / f"target_{name}"),
            "--log-path",
            str(workdir / "logs"),
        ],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return database


def query(database: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(database), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def uncertainty_marts(database: Path) -> dict[str, list[tuple]]:
    """Rows sorted by their text columns (each mart's id is one), floats compared with tolerance:
    DuckDB sums doubles in parallel, so a rebuild may differ in the last bits."""

    def text_key(row: tuple) -> tuple:
        return tuple(str(value) for value in row if not isinstance(value, float))

    return {
        table: sorted(query(database, f"select * from marts.{table}"), key=text_key)
        for table in UNCERTAINTY_MARTS
    }


def test_every_draw_is_the_nominal_index_when_nothing_is_perturbed(tmp_path):
    database = run_uncertainty(tmp_path, "nominal", {**FEW_DRAWS, **NOTHING_VARIED})
    per_framework = query(
        database,
        """
        select drawn.framework_id, count(*), count(distinct drawn.draw_id),
               max(abs(drawn.composite_score - nominal.composite_score)),
               count(*) filter (where drawn.composite_rank != nominal.composite_rank)
        from intermediate.int_uncertainty_composites_drawn as drawn
        inner join marts.fct_index_scores as nominal using (framework_id, unit_id)
        group by drawn.framework_id
    """,
    )
    assert len(per_framework) == 8
    for framework_id, _n_rows, n_draws, max_difference, n_other_ranks in per_framework:
        assert n_draws == 40, framework_id
        # Exact up to the last bits of a sum of doubles (the engine's own 1e-9 tie tolerance).
        assert max_difference <= 1e-9, (framework_id, max_difference)
        assert n_other_ranks == 0, framework_id
    assert query(
        database,
        """
        select count(*) from marts.fct_rank_uncertainty
        where not (rank_p05 = nominal_rank and rank_p95 = nominal_rank
                   and rank_median = nominal_rank
                   and rank_iqr = 0)
    """,
    ) == [(0,)]
    nominal_tiers = query(
        database,
        """
        select count(*), min(probability), max(probability)
        from marts.fct_tier_probabilities where is_nominal_tier
    """,
    )
    assert nominal_tiers == [(242 + 242 + 148, 1.0, 1.0)]
    assert query(database, "select count(*) from marts.fct_sensitivity_indices") == [(0,)]


def test_same_seed_gives_identical_marts_and_another_seed_other_draws(tmp_path):
    first = run_uncertainty(tmp_path, "seed_a", {**FEW_DRAWS, "uncertainty_seed": 11})
    again = run_uncertainty(tmp_path, "seed_b", {**FEW_DRAWS, "uncertainty_seed": 11})
    other = run_uncertainty(tmp_path, "seed_c", {**FEW_DRAWS, "uncertainty_seed": 12})

    draws_sql = (
        "select framework_id, draw_id, input_code, u "
        "from intermediate.int_uncertainty_draws order by all"
    )
    assert query(first, draws_sql) == query(again, draws_sql)
    assert mart_differences(uncertainty_marts(first), uncertainty_marts(again)) == {}

    first_draws, other_draws = query(first, draws_sql), query(other, draws_sql)
    assert [row[:3] for row in first_draws] == [row[:3] for row in other_draws]
    n_same = sum(left[3] == right[3] for left, right in zip(first_draws, other_draws, strict=True))
    assert n_same < len(first_draws) / 1000
    assert mart_differences(uncertainty_marts(first), uncertainty_marts(other)).keys() >= {
        "fct_rank_uncertainty",
        "fct_sensitivity_indices",
    }


def test_draws_of_different_inputs_are_independent_uniforms():
    """A weak hash once gave two inputs of the same draw u values correlated at −0.99.

    Bounds: about 4.5σ for n independent uniforms (sd of r ≈ 1/√n, of the mean ≈ 0.29/√n)."""
    rows = query(
        BUILT,
        """
        with a as (
            select * from intermediate.int_uncertainty_draws where design_matrix = 'A'
        )
        select first.framework_id, first.input_code, second.input_code, count(*),
               corr(first.u, second.u), avg(first.u), stddev_pop(first.u)
        from a as first
        inner join a as second
            on first.framework_id = second.framework_id and first.draw_id = second.draw_id
            and first.input_code < second.input_code
        where first.input_code in ('normalisation', 'aggregation:level_0', 'weight:p1')
          and second.input_code in (
              'aggregation:level_1', 'weight:p2', 'weight:p1', 'normalisation'
          )
        group by all
    """,
    )
    assert len(rows) >= 8 * 3
    for framework_id, first, second, n_draws, correlation, mean, sd in rows:
        assert n_draws >= 200
        bound = 4.5 / n_draws**0.5
        assert abs(correlation) < bound, (framework_id, first, second, correlation)
        assert abs(mean - 0.5) < 0.29 * bound and abs(sd - (1 / 12) ** 0.5) < 0.25 * bound, (
            framework_id,
            first,
        )


def dominant_copy_of_sample(raw_dir: Path, framework_id: str, unit: str) -> None:
    """The sample, with `unit` given the best value any unit has on every leaf of the framework."""
    shutil.copytree(REPO / "data" / "sample", raw_dir)
    catalog_path = REPO / "seeds" / "catalog" / f"indicator_catalog__{framework_id}.csv"
    with catalog_path.open(encoding="utf-8") as handle:
        direction = {row["node_code"]: int(row["direction"]) for row in csv.DictReader(handle)}
    path = raw_dir / f"{framework_id}.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        fields, rows = reader.fieldnames, list(reader)
    best = {}
    for row in rows:
        value = float(row["value"]) * direction[row["node_code"]]
        best[row["node_code"]] = max(best.get(row["node_code"], value), value)
    assert any(row["unit"] == unit for row in rows)
    for row in rows:
        if row["unit"] == unit:
            row["value"] = repr(best[row["node_code"]] * direction[row["node_code"]])
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)


def test_a_unit_dominating_every_pillar_ranks_first_in_every_weight_only_draw(tmp_path):
    framework_id, unit = "h3c_cddi_2022__zone", "zone_beijing_etdz"
    raw_dir = tmp_path / "raw"
    dominant_copy_of_sample(raw_dir, framework_id, unit)
    weight_only = {
        **FEW_DRAWS,
        **NOTHING_VARIED,
        "raw_data_dir": str(raw_dir),
        "uncertainty_weight_factors": {"1": 0.9, "2": 0.9, "3": 0.9},
    }
    database = run_uncertainty(tmp_path, "dominance", weight_only, select="+tag:uncertainty")
    # Precondition: the edited unit now beats every other unit on every pillar (in the roll-up
    # the uncertainty analysis reads, rebuilt by the selection; the marts are not).
    beaten = query(
        database,
        f"""
        select count(*) filter (where others.score_0_100 >= own.score_0_100), count(*)
        from intermediate.int_node_scores_ranked as own
        inner join intermediate.int_node_scores_ranked as others
            on own.framework_id = others.framework_id and own.node_code = others.node_code
            and others.unit_id != own.unit_id
        where own.framework_id = '{framework_id}' and own.unit_id = '{unit}' and own.node_level = 1
    """,
    )
    assert beaten[0][0] == 0 and beaten[0][1] == 29 * 4
    spread = query(
        database,
        f"""
        select count(distinct drawn.composite_rank)
        from intermediate.int_uncertainty_composites_drawn as drawn
        where framework_id = '{framework_id}' and unit_id != '{unit}'
    """,
    )
    assert spread[0][0] > 5, "the weight draws must actually move the other units"
    assert query(
        database,
        f"""
        select rank_best, rank_worst, n_draws from marts.fct_rank_uncertainty
        where framework_id = '{framework_id}' and unit_id = '{unit}'
    """,
    ) == [(1, 1, 40)]
    assert query(
        database,
        f"""
        select max(composite_rank), count(distinct draw_id)
        from intermediate.int_uncertainty_composites_drawn
        where framework_id = '{framework_id}' and unit_id = '{unit}'
    """,
    ) == [(1, 40 + 20 * (3 + 1))]


def test_make_uncertainty_publishes_through_the_refresh_or_leaves_the_live_file_alone(
    repo, baseline, live_copy, tmp_path
):
    """`make uncertainty` is a refresh: a candidate built with every test, then swapped in whole —
    never a live file written in place. Refused input (a user's empty CSV) changes nothing; a
    good run publishes the four marts beside unchanged engine marts, the old file a generation."""
    raw = sample_copy(repo, tmp_path / "raw")
    (raw / "h3c_dei_2021__city.csv").write_bytes(b"")
    before = file_digest(live_copy)
    refused = make(repo, live_copy, raw, "uncertainty")
    assert refused.returncode == EXIT_INPUT_REJECTED, output(refused)[-3000:]
    assert "h3c_dei_2021__city.csv" in output(refused) and "empty file" in output(refused)
    assert file_digest(live_copy) == before and generations(live_copy) == []

    few = {key: value for key, value in FEW_DRAWS.items() if key != "uncertainty"}
    published = make(repo, live_copy, None, "uncertainty", f"UNCERTAINTY_VARS={json.dumps(few)}")
    assert published.returncode == EXIT_OK, output(published)[-5000:]
    assert len(generations(live_copy)) == 1  # the previous live file, kept for rollback
    after = marts_snapshot(live_copy)
    assert [len(after.get(name, [])) > 0 for name in UNCERTAINTY_MARTS] == [True] * 4
    assert query(live_copy, "select distinct n_draws from marts.fct_rank_uncertainty") == [(40,)]
    engine_marts = {name: rows for name, rows in after.items() if name not in UNCERTAINTY_MARTS}
    assert mart_differences(baseline["snapshot"], engine_marts) == {}
    assert "How sure is a rank?" in output(published)  # the refresh's summary shows them


def test_readme_example_is_read_from_the_marts(tmp_path):
    """README's example block is rewritten from the built marts, and says what they say."""
    readme = tmp_path / "README.md"
    readme.write_text(
        "before\n"
        f"{summary_uncertainty.README_START}\nstale: 南京 rank 7, 6–11\n"
        f"{summary_uncertainty.README_END}\nafter\n",
        encoding="utf-8",
    )
    con = duckdb.connect(str(BUILT), read_only=True)
    try:
        summary_uncertainty.write_readme(con, readme)
    finally:
        con.close()
    text = readme.read_text(encoding="utf-8")
    assert text.startswith("before\n") and text.endswith("\nafter\n") and "stale" not in text
    ((rank, p05, p95, n_draws),) = query(
        BUILT,
        f"""
        select nominal_rank, rank_p05, rank_p95, n_draws from marts.fct_rank_uncertainty
        where framework_id = '{summary_uncertainty.EXAMPLE_FRAMEWORK}'
          and unit_id = '{summary_uncertainty.EXAMPLE_SURE_UNIT}'
    """,
    )
    ((probability,),) = query(
        BUILT,
        f"""
        select probability from marts.fct_tier_probabilities
        where framework_id = '{summary_uncertainty.EXAMPLE_FRAMEWORK}'
          and unit_id = '{summary_uncertainty.EXAMPLE_SURE_UNIT}' and is_nominal_tier
    """,
    )
    assert f"{n_draws:,} draws" in text
    assert (
        f"南京市 is ranked **{rank}**; its median rank is" in text
        and f"ranks **{p05}–{p95}**" in text
        and f"= **{probability:.2f}**" in text
    )
