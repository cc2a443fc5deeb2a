"""Benchmark of the uncertainty analysis (README "How sure is a rank?"), called by scripts/bench.py.

Two cases, each measured beside a NumPy implementation of the same draws (the peer) in the same
run, each engine in its own process so its CPU time and peak memory (max RSS) are its own:
- the sample: every framework, default vars (1,000 Monte Carlo draws + the Saltelli design);
- SYNTHETIC scale: 20,000 generated units of one framework (h3c_dei_2021__city's tree), 1,000
  draws, no Sobol design. The units are random leaf scores written by this script — labelled
  synthetic, never published data — replacing the leaf scores in a throwaway warehouse copy.
The SQL side runs the compiled models (target/compiled) in DuckDB, timing the roll-up of the
draws (int_uncertainty_composites_drawn) apart from the whole analysis; the peer reads the same
draws, weights and leaf scores and recomputes composites and ranks with NumPy, and the two
engines' composites are compared (max |score difference|).
Usage: python scripts/bench_uncertainty.py --warehouse BUILT.duckdb [--units 20000]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import bench_process
import duckdb
import numpy as np

REPO = Path(__file__).resolve().parents[1]
DBT = str(Path(sys.executable).with_name("dbt"))
PIPELINE = [
    "int_uncertainty_inputs_declared",
    "int_uncertainty_design",
    "int_uncertainty_draws",
    "int_uncertainty_draw_choices",
    "int_uncertainty_weights_drawn",
    "int_uncertainty_leaf_scores_varied",
    "int_uncertainty_leaf_lists",
    "int_uncertainty_composites_drawn",
]
MARTS = [
    "fct_weight_influence",
    "fct_rank_uncertainty",
    "fct_tier_probabilities",
    "fct_sensitivity_indices",
]
ROLL_UP = "int_uncertainty_composites_drawn"
SCALE_FRAMEWORK = "h3c_dei_2021__city"


def cpu_seconds() -> float:
    """CPU time of this process so far, every thread (DuckDB's included)."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def compile_models(dbt_vars: dict, database: Path) -> dict[str, str]:
    """The uncertainty models compiled with `dbt_vars`, into a target folder of their own (so a
    dbt run elsewhere in the project cannot swap the SQL under the benchmark)."""
    env = dict(os.environ, DBT_PROFILES_DIR=str(REPO), DCI_DUCKDB_PATH=str(database))
    dbt_vars = {"uncertainty": True, **dbt_vars}
    target = database.parent / "target"
    subprocess.run(
        [
            DBT,
            "compile",
            "--quiet",
            "--select",
            "tag:uncertainty",
            "--vars",
            json.dumps(dbt_vars),
            "--target-path",
            str(target),
        ],
        cwd=REPO,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    models = target / "compiled" / "digital_city_index" / "models"
    compiled = {name: models / "intermediate" / "uncertainty" / f"{name}.sql" for name in PIPELINE}
    compiled |= {name: models / "marts" / "uncertainty" / f"{name}.sql" for name in MARTS}
    return {name: path.read_text(encoding="utf-8") for name, path in compiled.items()}


def sql_worker(database: Path, sql_file: Path, models: list[str]) -> dict:
    compiled = json.loads(sql_file.read_text(encoding="utf-8"))
    con = duckdb.connect(str(database))
    started = time.perf_counter()
    roll_up_seconds = roll_up_cpu = 0.0
    for name in models:
        schema = "marts" if name in MARTS else "intermediate"
        model_started, model_cpu = time.perf_counter(), cpu_seconds()
        con.execute(f"create or replace table {schema}.{name} as {compiled[name]}")
        if name == ROLL_UP:
            roll_up_seconds = time.perf_counter() - model_started
            roll_up_cpu = cpu_seconds() - model_cpu
    seconds = time.perf_counter() - started
    n_rows = (
        con.execute(f"select count(*) from intermediate.{ROLL_UP}").fetchone()[0]
        if ROLL_UP in models
        else 0
    )
    con.close()
    return {
        "seconds": seconds,
        "roll_up_seconds": roll_up_seconds,
        "roll_up_cpu": roll_up_cpu,
        "rows": n_rows,
    }


def numpy_worker(database: Path) -> dict:
    """The same draws recomputed with NumPy: leaf scores × drawn weights, level by level."""
    con = duckdb.connect(str(database), read_only=True)
    nodes = con.execute(
        "select framework_id, node_code, parent_code, node_level, is_leaf, weight "
        "from intermediate.int_framework_nodes_weighted"
    ).fetchall()
    leaves = con.execute(
        "select framework_id, normalisation_variant, imputation, unit_id, node_code, score "
        "from intermediate.int_uncertainty_leaf_scores_varied order by all"
    ).fetchnumpy()
    weights = con.execute(
        "select framework_id, draw_id, node_code, weight, parent_aggregation "
        "from intermediate.int_uncertainty_weights_drawn order by all"
    ).fetchnumpy()
    choices = con.execute(
        "select framework_id, draw_id, normalisation_variant, imputation "
        "from intermediate.int_uncertainty_draw_choices order by all"
    ).fetchnumpy()
    reference = con.execute(
        "select framework_id, draw_id, unit_id, composite_score "
        "from intermediate.int_uncertainty_composites_drawn"
    ).fetchnumpy()
    con.close()
    started, started_cpu = time.perf_counter(), cpu_seconds()
    max_difference, n_scores = 0.0, 0
    floor = 1.0
    for framework_id in np.unique(choices["framework_id"]):
        tree = [node for node in nodes if node[0] == framework_id]
        if not (leaves["framework_id"] == framework_id).any():
            continue
        codes = [node[1] for node in tree]
        index = {code: i for i, code in enumerate(codes)}
        parent = {node[1]: node[2] for node in tree}
        level = {node[1]: node[3] for node in tree}
        in_fw = choices["framework_id"] == framework_id
        draw_ids = choices["draw_id"][in_fw]
        draw_pos = {draw: i for i, draw in enumerate(draw_ids)}
        n_draws = len(draw_ids)
        w_rows = weights["framework_id"] == framework_id
        w = np.zeros((n_draws, len(codes)))
        geometric = np.zeros((n_draws, len(codes)), dtype=bool)  # by child: its parent's mean
        w[
            [draw_pos[d] for d in weights["draw_id"][w_rows]],
            [index[c] for c in weights["node_code"][w_rows]],
        ] = weights["weight"][w_rows]
        geometric[
            [draw_pos[d] for d in weights["draw_id"][w_rows]],
            [index[c] for c in weights["node_code"][w_rows]],
        ] = weights["parent_aggregation"][w_rows] == "geometric"
        l_rows = leaves["framework_id"] == framework_id
        units = np.unique(leaves["unit_id"][l_rows])
        unit_pos = {unit: i for i, unit in enumerate(units)}
        combos = {}
        for variant, imputation in {
            (v, i)
            for v, i in zip(
                leaves["normalisation_variant"][l_rows], leaves["imputation"][l_rows], strict=True
            )
        }:
            rows = (
                l_rows
                & (leaves["normalisation_variant"] == variant)
                & (leaves["imputation"] == imputation)
            )
            scores = np.full((len(units), len(codes)), np.nan)
            scores[
                [unit_pos[u] for u in leaves["unit_id"][rows]],
                [index[c] for c in leaves["node_code"][rows]],
            ] = leaves["score"][rows].astype(float)
            combos[(variant, imputation)] = scores
        composite = np.empty((n_draws, len(units)))
        combo_of_draw = list(
            zip(choices["normalisation_variant"][in_fw], choices["imputation"][in_fw], strict=True)
        )
        for combo, base in combos.items():
            chosen_draws = np.flatnonzero([c == combo for c in combo_of_draw])
            for start in range(0, len(chosen_draws), 50):  # 50 draws at a time bounds the memory
                chunk = chosen_draws[start : start + 50]
                score = np.broadcast_to(
                    base, (len(chunk), *base.shape)
                ).copy()  # draws × units × nodes
                wd, gd = w[chunk], geometric[chunk]
                for depth in range(max(level.values()) - 1, -1, -1):
                    for node in [c for c in codes if level[c] == depth]:
                        children = [index[c] for c in codes if parent[c] == node]
                        if not children:
                            continue
                        s = score[:, :, children]
                        available = ~np.isnan(s)
                        cw = wd[:, None, children] * available
                        logs = np.log(np.maximum(np.nan_to_num(s), floor))
                        term = np.where(
                            gd[:, None, children], cw * logs, cw * np.nan_to_num(s)
                        ).sum(axis=2)
                        mean = term / cw.sum(axis=2)
                        score[:, :, index[node]] = np.where(
                            gd[:, None, children[0]], np.exp(mean), mean
                        )
                composite[chunk] = score[:, :, index["root"]]
        # Ranks: descending composite, ties by unit_id (units are sorted by unit_id).
        order = np.argsort(-np.round(composite, 9), axis=1, kind="stable")
        ranks = np.empty_like(order)
        np.put_along_axis(ranks, order, np.arange(1, len(units) + 1)[None, :], axis=1)
        sql_rows = reference["framework_id"] == framework_id
        sql = composite[
            [draw_pos[d] for d in reference["draw_id"][sql_rows]],
            [unit_pos[u] for u in reference["unit_id"][sql_rows]],
        ]
        max_difference = max(
            max_difference, float(np.abs(sql - reference["composite_score"][sql_rows]).max())
        )
        n_scores += composite.size
    return {
        "seconds": time.perf_counter() - started,
        "roll_up_cpu": cpu_seconds() - started_cpu,
        "rows": n_scores,
        "max_difference": max_difference,
    }


def run_worker(kind: str, database: Path, sql_file: Path, models: list[str]) -> dict:
    command = [
        sys.executable,
        __file__,
        "--worker",
        kind,
        "--warehouse",
        str(database),
        "--sql-file",
        str(sql_file),
        "--models",
        ",".join(models),
    ]
    measured = bench_process.run_measured(command)
    assert measured["returncode"] == 0, measured["output"]
    result = json.loads(measured["output"].strip().splitlines()[-1])
    result["wall_s"] = measured["wall_s"]
    result["cpu_s"] = measured["cpu_s"]  # the whole worker, loading included
    result["max_rss_mib"] = measured["peak_rss"] / 2**20
    return result


def synthetic_units(database: Path, n_units: int, seed: int = 20221231) -> None:
    """Replace the leaf scores with n_units SYNTHETIC units of one framework: per unit a level
    U(20, 90), per leaf and normalisation variant that level + N(0, 12) clipped to [0, 100]
    (seeded NumPy; only numbers cross into DuckDB, names are joined there), every imputation
    rule alike."""
    con = duckdb.connect(str(database))
    con.execute(
        """
        create temp table synthetic_leaves as
        select node_code, row_number() over (order by node_code) - 1 as leaf
        from intermediate.int_framework_nodes_weighted where framework_id = ? and is_leaf
        """,
        [SCALE_FRAMEWORK],
    )
    con.execute(
        """
        create temp table synthetic_variants as
        select normalisation_variant, row_number() over (order by normalisation_variant) - 1
            as variant
        from (
            select distinct normalisation_variant
            from intermediate.int_uncertainty_leaf_scores_varied
        ) as variants
        """
    )
    n_leaves = con.execute("select count(*) from synthetic_leaves").fetchall()[0][0]
    n_variants = con.execute("select count(*) from synthetic_variants").fetchall()[0][0]
    rng = np.random.default_rng(seed)
    level = rng.uniform(20, 90, size=(1, n_units, 1))
    scores = np.clip(level + rng.normal(0, 12, size=(n_variants, n_units, n_leaves)), 0, 100)
    variant, unit, leaf = np.indices(scores.shape).reshape(3, -1)
    con.register(
        "synthetic", {"variant": variant, "unit": unit, "leaf": leaf, "score": scores.ravel()}
    )
    con.execute(
        """
        create or replace table intermediate.int_uncertainty_leaf_scores_varied as
        select
            ? as framework_id,
            'synthetic_' || lpad(synthetic.unit::varchar, 5, '0') as unit_id,
            'city' as unit_level,
            synthetic_leaves.node_code,
            synthetic_variants.normalisation_variant,
            synthetic.score,
            imputations.imputation
        from synthetic
        inner join synthetic_leaves on synthetic.leaf = synthetic_leaves.leaf
        inner join synthetic_variants on synthetic.variant = synthetic_variants.variant
        cross join (values ('available'), ('indicator_mean')) as imputations (imputation)
        """,
        [SCALE_FRAMEWORK],
    )
    con.close()


def measured(kind: str, database: Path, sql_file: Path, models: list[str]) -> dict:
    """run_worker, with the machine's 1-minute load average before and after."""
    load_before = os.getloadavg()[0]
    result = run_worker(kind, database, sql_file, models)
    result["load"] = (load_before, os.getloadavg()[0])
    return result


def bench(warehouse: Path, n_units: int) -> dict:
    results = {}
    with tempfile.TemporaryDirectory(prefix="dci_bench_uncertainty_") as tmp:
        workdir = Path(tmp)
        database = workdir / "digital_city_index.duckdb"
        for case, dbt_vars, models in [
            ("sample", {}, PIPELINE + MARTS),
            ("scale", {"uncertainty_sobol_base_draws": 0}, PIPELINE[-2:]),
        ]:
            shutil.copyfile(warehouse, database)
            compiled = compile_models(dbt_vars, database)
            sql_file = workdir / f"{case}.json"
            sql_file.write_text(json.dumps(compiled), encoding="utf-8")
            if case == "scale":
                # The draws for the scale case (no Saltelli design), then the synthetic units.
                run_worker("sql", database, sql_file, PIPELINE[:-2])
                synthetic_units(database, n_units)
            results[case] = {
                "sql": measured("sql", database, sql_file, models),
                "numpy": measured("numpy", database, sql_file, models),
            }
            con = duckdb.connect(str(database), read_only=True)
            results[case]["units"] = con.execute(
                "select count(distinct framework_id || unit_id), "
                "count(distinct framework_id || draw_id), count(*) "
                f"from intermediate.{ROLL_UP}"
            ).fetchone()
            con.close()
    return results


def goal_lines(results: dict) -> list[str]:
    """The issue's two speed goals, met or not in this run."""
    lines = []
    if "sample" in results:
        seconds = results["sample"]["sql"]["seconds"]
        lines.append(
            f"- Goal: the sample's whole analysis under 30 s on 2 cores — "
            f"{'met' if seconds < 30 else 'NOT met'} in this run ({seconds:.1f} s wall)."
        )
    if "scale" in results:
        sql, peer = results["scale"]["sql"], results["scale"]["numpy"]
        ratio = sql["roll_up_seconds"] / peer["seconds"]
        units = results["scale"]["units"][0]
        judged = "" if units == 20000 else f" (judged at {units:,} units instead)"
        lines.append(
            f"- Goal: the SQL no slower than the NumPy peer at 20,000 units{judged} — "
            f"{'met' if ratio <= 1 else 'NOT met'} in this run ({ratio:.2f}× its wall time, "
            f"{sql['roll_up_cpu'] / peer['roll_up_cpu']:.2f}× its CPU time)."
        )
    return lines


def render(results: dict) -> list[str]:
    labels = {
        "sample": "the sample: 8 frameworks, 1,000 draws + Saltelli design",
        "scale": f"SYNTHETIC: {SCALE_FRAMEWORK}'s tree, 1,000 draws",
    }
    lines = [
        "## Uncertainty analysis (`tag:uncertainty`): SQL beside a NumPy peer",
        "",
        "scripts/bench_uncertainty.py: SQL and the NumPy peer measured side by side in the same "
        "run, each engine in its own process. **Roll-up** = composites and ranks of every draw × "
        "unit from the same draws, "
        "weights and leaf scores (SQL: the model `int_uncertainty_composites_drawn`; NumPy: the "
        "peer, after loading its inputs): wall and CPU seconds (CPU: every thread; DuckDB runs "
        "2, NumPy mostly 1). **Whole analysis** = every uncertainty model from the built engine, "
        "marts included, as `make uncertainty` builds them (without dbt's start-up and data "
        "tests). Peak RSS: each worker process's own, loading included.",
        "",
        "| case | units | draw × unit composites | roll-up wall s: SQL / NumPy (ratio) | "
        "roll-up CPU s: SQL / NumPy (ratio) | SQL whole analysis, wall s | peak RSS MiB: SQL / "
        "NumPy | max \\|Δ score\\| SQL vs NumPy | load (1 min) |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for case, result in results.items():
        sql, peer = result["sql"], result["numpy"]
        loads = sql["load"] + peer["load"]
        lines.append(
            f"| {labels[case]} | {result['units'][0]:,} | {result['units'][2]:,} | "
            f"{sql['roll_up_seconds']:.1f} / {peer['seconds']:.1f} "
            f"(**{sql['roll_up_seconds'] / peer['seconds']:.2f}**) | "
            f"{sql['roll_up_cpu']:.1f} / {peer['roll_up_cpu']:.1f} "
            f"({sql['roll_up_cpu'] / peer['roll_up_cpu']:.2f}) | "
            f"{sql['seconds']:.1f} | {sql['max_rss_mib']:,.0f} / {peer['max_rss_mib']:,.0f} | "
            f"{peer['max_difference']:.1e} | {min(loads):.1f}–{max(loads):.1f} |"
        )
    lines += ["", *goal_lines(results)]
    lines += [
        "",
        bench_process.load_sentence(
            max(max(r["sql"]["load"] + r["numpy"]["load"]) for r in results.values())
        )
        + " The scale case's units are random leaf scores generated by "
        "scripts/bench_uncertainty.py (labelled `synthetic_NNNNN`), not data.",
        "",
    ]
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--warehouse", type=Path, required=True)
    parser.add_argument("--units", type=int, default=20000)
    parser.add_argument("--worker", choices=["sql", "numpy"])
    parser.add_argument("--sql-file", type=Path)
    parser.add_argument("--models")
    args = parser.parse_args()
    if args.worker == "sql":
        print(json.dumps(sql_worker(args.warehouse, args.sql_file, args.models.split(","))))
    elif args.worker == "numpy":
        print(json.dumps(numpy_worker(args.warehouse)))
    else:
        print("\n".join(render(bench(args.warehouse, args.units))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
