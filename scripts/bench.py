"""Benchmark the build: `make bench`.

Measures, on this machine:
- the whole `dbt build` (every model, seed and test) from an empty DuckDB file, N runs, median;
- how much of it is dbt's own overhead (parse/compile/scheduling) vs time inside the nodes,
  from run_results.json, and the slowest nodes;
- loading the raw indicator CSVs two ways: DuckDB's CSV reader (the external source the
  project uses) vs `dbt seed` of the same files (agate parses, then batched INSERTs).

Writes docs/benchmark.md (the README quotes it). Never a test: timings vary by machine.
Usage: python scripts/bench.py [--runs 3] [--out docs/benchmark.md]
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import bench_scale
import bench_uncertainty
import duckdb

REPO = Path(__file__).resolve().parents[1]
DBT = str(Path(sys.executable).with_name("dbt"))


def run_dbt(args: list[str], duckdb_path: Path, project_dir: Path = REPO) -> float:
    env = dict(os.environ, DBT_PROFILES_DIR=str(project_dir), DCI_DUCKDB_PATH=str(duckdb_path))
    started = time.perf_counter()
    subprocess.run([DBT, *args, "--quiet"], cwd=project_dir, env=env, check=True)
    return time.perf_counter() - started


def node_timings(project_dir: Path = REPO) -> list[tuple[str, float]]:
    results = json.loads((project_dir / "target" / "run_results.json").read_text(encoding="utf-8"))
    return sorted(
        ((result["unique_id"], result["execution_time"]) for result in results["results"]),
        key=lambda item: -item[1],
    )


def bench_build(runs: int, workdir: Path) -> dict:
    walls, inside = [], []
    timings: list[tuple[str, float]] = []
    for run in range(runs):
        database = workdir / f"build_{run}.duckdb"
        walls.append(run_dbt(["build"], database))
        timings = node_timings()
        inside.append(sum(seconds for _, seconds in timings))
    parse = [
        run_dbt(["parse", "--no-partial-parse"], workdir / "parse.duckdb") for _ in range(runs)
    ]
    return {
        "runs": runs,
        "build_wall_s": walls,
        "build_median_s": statistics.median(walls),
        "node_time_median_s": statistics.median(inside),
        "parse_median_s": statistics.median(parse),
        "n_nodes": len(timings),
        "slowest": timings[:10],
    }


def bench_raw_loading(workdir: Path) -> dict:
    sample_dir = REPO / "data" / "sample"
    files = sorted(sample_dir.glob("*.csv"))
    n_rows = sum(sum(1 for _ in path.open(encoding="utf-8")) - 1 for path in files)

    con = duckdb.connect(str(workdir / "read_csv.duckdb"))
    started = time.perf_counter()
    con.execute(
        f"create table raw as select * from read_csv('{sample_dir}/*.csv', header = true, "
        "all_varchar = true, filename = true, union_by_name = true)"
    )
    read_csv_s = time.perf_counter() - started
    con.close()

    # The same files as dbt seeds, in a throwaway copy of the project.
    project = workdir / "seed_project"
    project.mkdir()
    for item in ("dbt_project.yml", "profiles.yml", "macros"):
        source = REPO / item
        (shutil.copytree if source.is_dir() else shutil.copy2)(source, project / item)
    (project / "seeds").mkdir()
    for path in files:
        shutil.copy2(path, project / "seeds" / f"raw_{path.stem}.csv")
    (project / "models").mkdir()
    seed_s = run_dbt(["seed"], workdir / "seed.duckdb", project_dir=project)
    seed_nodes_s = sum(seconds for _, seconds in node_timings(project))
    return {
        "n_files": len(files),
        "n_rows": n_rows,
        "duckdb_read_csv_s": read_csv_s,
        "dbt_seed_wall_s": seed_s,
        "dbt_seed_nodes_s": seed_nodes_s,
    }


def render(build: dict, loading: dict) -> str:
    overhead = build["build_median_s"] - build["node_time_median_s"]
    lines = [
        "# Benchmark",
        "",
        f"Measured by `make bench` (scripts/bench.py) on {platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{time.strftime('%Y-%m-%d')}. Figures vary by machine; "
        "this file is regenerated, never asserted on.",
        "",
        "## Whole build (`dbt build`: every seed, model and test, empty DuckDB file)",
        "",
        "| figure | seconds |",
        "|---|---|",
        f"| median wall time over {build['runs']} runs | {build['build_median_s']:.1f} |",
        f"| runs | {', '.join(f'{seconds:.1f}' for seconds in build['build_wall_s'])} |",
        f"| time inside the {build['n_nodes']} nodes (sum, median run) "
        f"| {build['node_time_median_s']:.1f} |",
        f"| dbt's own share (wall − nodes; 2 threads overlap nodes) | {overhead:.1f} |",
        f"| of which `dbt parse` from scratch | {build['parse_median_s']:.1f} |",
        "",
        "Slowest nodes (last run):",
        "",
        "| node | seconds |",
        "|---|---|",
    ]
    lines += [f"| `{unique_id}` | {seconds:.2f} |" for unique_id, seconds in build["slowest"]]
    lines += [
        "",
        f"## Loading the raw indicator CSVs ({loading['n_files']} files, {loading['n_rows']} rows)",
        "",
        "| method | seconds |",
        "|---|---|",
        "| DuckDB `read_csv` (the `raw.indicator_values` external source) "
        f"| {loading['duckdb_read_csv_s']:.2f} |",
        f"| `dbt seed` of the same files (wall) | {loading['dbt_seed_wall_s']:.1f} |",
        f"| `dbt seed` (inside the seed nodes) | {loading['dbt_seed_nodes_s']:.1f} |",
        "",
        "The project reads raw values through DuckDB's CSV reader: it is faster, and it is",
        "more robust for user input — read as text, a malformed value reaches the checks in",
        "`int_indicator_values_checked` with its file and line instead of failing agate's type",
        "inference for the whole file, and new files need no seed configuration.",
        "",
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=REPO / "docs" / "benchmark.md")
    parser.add_argument(
        "--uncertainty-units", type=int, default=20000, help="synthetic units of the scale case"
    )
    parser.add_argument(
        "--scale", default=bench_scale.DEFAULT_SIZES, help="scale section sizes ('' skips it)"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="dci_bench_") as tmp:
        workdir = Path(tmp)
        build = bench_build(args.runs, workdir)
        loading = bench_raw_loading(workdir)
        # Uncertainty analysis beside its NumPy peer (scripts/bench_uncertainty.py).
        uncertainty = bench_uncertainty.bench(
            workdir / f"build_{args.runs - 1}.duckdb", args.uncertainty_units
        )
        # The engine at 10⁵–10⁷ values beside a hand-written script and pandas (bench_scale.py).
        scale = bench_scale.run(args.scale, workdir / "scale")
    report = render(build, loading) + "\n".join(bench_uncertainty.render(uncertainty) + scale)
    args.out.write_text(report, encoding="utf-8")
    print(report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
