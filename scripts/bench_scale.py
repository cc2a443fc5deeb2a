"""Scale section of `make bench` (called by scripts/bench.py): the engine from 10⁵ to 10⁷ values.

For each size, SYNTHETIC units of one framework (scripts/scale_sample.py: units.csv + one value
file, 5 % of cells missing) are scored, in one run on the same files, by
- the dbt engine chain, models only: `dbt run` of the models that read the raw files, up to
  fct_indicator_scores / fct_node_scores / fct_index_scores, on a warehouse holding the reference
  layer (seeds and the models not reading raw values, built once beforehand);
- `dbt build` with every test: the whole project (seeds, every model and test) from an empty file;
- the hand-written DuckDB script (scripts/scale_engines.py) — the limit;
- the pandas peer (scripts/scale_engines.py);
each in its own process (wall time and peak RSS of that process), interleaved per size so a
load from other jobs hits all of them alike. The three tables of the script and of the peer
must equal the dbt marts (same rows, values within 1e-9, same ranks and tiers): the run stops
otherwise. Writes a log–log plot of time against size.

Usage (stand-alone): python scripts/bench_scale.py [--sizes 1e5,1e6,1e7] [--write]
       python scripts/bench_scale.py worker {handwritten,pandas} DB RAW_DIR FRAMEWORK
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

import duckdb

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))

import bench_process  # noqa: E402
import scale_engines  # noqa: E402
import scale_sample  # noqa: E402

DBT = str(Path(sys.executable).with_name("dbt"))
FRAMEWORK = scale_sample.DEFAULT_FRAMEWORK
ENGINE_SELECTOR = " ".join(scale_engines.ENGINE_SELECTION)
DEFAULT_SIZES = "1e5,1e6,1e7"
SCHEMAS = {"handwritten": "handwritten", "pandas": "pandas_peer"}
MISSING_SHARE = 0.05
PLOT = REPO / "docs" / "images" / "benchmark_scale.png"
BENCHMARK_MD = REPO / "docs" / "benchmark.md"


def measured(command: list[str], env: dict | None = None) -> dict:
    """Run a command in its own process: wall and CPU seconds (user + system, less sensitive to
    other jobs' load than wall time) and that process's peak RSS in bytes (bench_process.py)."""
    result = bench_process.run_measured(command, cwd=REPO, env=env)
    if result["returncode"] != 0:
        raise RuntimeError(f"{' '.join(command[:3])} … failed:\n{result['output'][-3000:]}")
    return result


def dbt(args: list[str], database: Path, raw_dir: Path) -> dict:
    env = dict(os.environ, DBT_PROFILES_DIR=str(REPO), DCI_DUCKDB_PATH=str(database))
    env["DBT_TARGET_PATH"] = str(database.parent / "dbt_target")
    variables = json.dumps({"raw_data_dir": str(raw_dir)})
    result = measured([DBT, *args, "--quiet", "--vars", variables], env)
    # Time inside the models: first node started to last node finished (dbt start-up excluded).
    results = json.loads((database.parent / "dbt_target" / "run_results.json").read_text())
    stamps = [
        datetime.fromisoformat(timing[key].replace("Z", "+00:00"))
        for node in results["results"]
        for timing in node["timing"]
        for key in ("started_at", "completed_at")
        if timing.get(key)
    ]
    result["nodes_s"] = (max(stamps) - min(stamps)).total_seconds() if stamps else 0.0
    result["n_nodes"] = len(results["results"])
    return result


def worker(kind: str, database: Path, raw_dir: Path, framework_id: str) -> None:
    con = duckdb.connect(str(database))
    started = time.perf_counter()
    run = scale_engines.handwritten_sql if kind == "handwritten" else scale_engines.pandas_engine
    run(con, raw_dir, framework_id, SCHEMAS[kind])
    seconds = time.perf_counter() - started
    con.close()
    print(json.dumps({"inner_s": seconds}))


def reference_warehouse(workdir: Path, raw_dir: Path) -> Path:
    """Seeds and every model that does not read the raw files: the part no size changes."""
    base = workdir / "reference" / "base.duckdb"
    base.parent.mkdir(parents=True)
    dbt(["seed"], base, raw_dir)
    dbt(["run", "--exclude", "stg_raw__file_lines+"], base, raw_dir)
    return base


def copy_of(base: Path, name: str) -> Path:
    target = base.parent.parent / name / "warehouse.duckdb"
    target.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy2(base, target)
    return target


def bench_size(values: int, workdir: Path, base: Path, framework_id: str) -> dict:
    n_leaves = len(scale_sample.catalog(framework_id))
    n_units = max(1, round(values / (n_leaves * (1 - MISSING_SHARE))))
    raw_dir = workdir / f"raw_{values}"
    counts = scale_sample.generate(raw_dir, n_units, framework_id, 20221231, MISSING_SHARE)
    runs: dict[str, dict] = {}
    runs["engine"] = dbt(
        ["run", "--select", *scale_engines.ENGINE_SELECTION], copy_of(base, "engine"), raw_dir
    )
    for kind in ("handwritten", "pandas"):
        database = copy_of(base, kind)
        runs[kind] = measured(
            [sys.executable, __file__, "worker", kind, str(database), str(raw_dir), framework_id]
        )
        runs[kind]["inner_s"] = json.loads(runs[kind]["output"].strip().splitlines()[-1])["inner_s"]
    empty = workdir / "build" / "warehouse.duckdb"
    empty.parent.mkdir(exist_ok=True)
    runs["build"] = dbt(["build"], empty, raw_dir)

    # Same rows, same values: the script and the peer against the dbt marts.
    con = duckdb.connect(str(workdir / "engine" / "warehouse.duckdb"), read_only=True)
    rows = {}
    for kind, schema in SCHEMAS.items():
        con.execute(f"attach '{workdir / kind / 'warehouse.duckdb'}' as {kind} (read_only)")
        scale_engines.compare(con, f"{kind}.{schema}", framework_id)
    for table in scale_engines.TABLES:
        rows[table] = con.execute(
            f"select count(*) from marts.{table} where framework_id = ?", [framework_id]
        ).fetchone()[0]
    con.close()
    for name in ("engine", "handwritten", "pandas", "build"):
        shutil.rmtree(workdir / name)
    shutil.rmtree(raw_dir)
    for run in runs.values():
        run.pop("output", None)
    return {"target_values": values, **counts, "rows": rows, "runs": runs}


def bench(sizes: list[int], workdir: Path, framework_id: str = FRAMEWORK) -> dict:
    seed_raw = workdir / "raw_seed"
    scale_sample.generate(seed_raw, 10, framework_id, seed=1, missing_share=0.0)
    base = reference_warehouse(workdir, seed_raw)
    results = []
    for values in sizes:
        print(f"scale bench: {values:,} values …", flush=True)
        results.append(bench_size(values, workdir, base, framework_id))
        print(json.dumps(results[-1]["runs"], default=str), flush=True)
    load = os.getloadavg()
    return {"framework_id": framework_id, "sizes": results, "load_after": load}


def plot(result: dict, path: Path = PLOT) -> Path:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    # CPU seconds (user + system): other jobs' load inflates wall times, not CPU times.
    labels = {
        "build": "dbt build, every test",
        "engine": "dbt engine models (incl. dbt start-up)",
        "pandas": "pandas peer",
        "handwritten": "hand-written DuckDB (limit)",
    }
    figure, axes = plt.subplots(figsize=(6.4, 4.4), dpi=120)
    for key, label in labels.items():
        sizes = [size for size in result["sizes"] if key in size["runs"]]
        xs = [size["values"] for size in sizes]
        axes.plot(xs, [size["runs"][key]["cpu_s"] for size in sizes], marker="o", label=label)
    xs = [size["values"] for size in result["sizes"]]
    first = result["sizes"][0]["runs"]["handwritten"]["cpu_s"]
    linear = [first * x / xs[0] for x in xs]
    axes.plot(xs, linear, linestyle=":", color="grey", label="slope 1 (linear)")
    axes.set_xscale("log")
    axes.set_yscale("log")
    axes.set_xlabel("indicator values (SYNTHETIC units × 54 leaves)")
    axes.set_ylabel("CPU time, s (user + system)")
    axes.set_title(f"{result['framework_id']}: time against size")
    axes.grid(True, which="both", alpha=0.3)
    axes.legend(fontsize=7)
    figure.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path)
    plt.close(figure)
    return path


def render(result: dict) -> list[str]:
    cpu = os.cpu_count()
    lines = [
        "",
        "## Scale: the engine beside a hand-written script and a pandas peer",
        "",
        f"SYNTHETIC units of `{result['framework_id']}` (scripts/scale_sample.py: units.csv and",
        "one value file, 5 % of cells missing, seeded), scored in one run (scripts/bench_scale.py)",
        "by four commands, each in its own process, interleaved per size. *Limit* = the",
        "hand-written DuckDB script (scripts/scale_engines.py). Its three tables and the pandas",
        "peer's were asserted equal to the dbt marts `fct_indicator_scores`, `fct_node_scores` and",
        "`fct_index_scores` (same rows, values within 1e-9, same ranks and tiers) at every size.",
        f"*engine models* = `dbt run --select {ENGINE_SELECTOR}` (the models reading the raw",
        "files) on a warehouse holding the reference layer; *inside nodes* = first model started",
        "to last finished, without dbt's start-up and parse (which `--vars` forces every run);",
        "*dbt build* = the whole project, every seed, model and test, from an empty file. Ratios",
        "are to the limit's wall time and CPU time (user + system of the process).",
        f"Load average {result['load_after'][0]:.1f} / {result['load_after'][1]:.1f} / "
        f"{result['load_after'][2]:.1f} (1 / 5 / 15 min) when the run ended. "
        + bench_process.load_sentence(result["load_after"][1]),
        "",
        "| values | units | implementation | wall s | ratio to limit | CPU s | CPU ratio "
        "| values/s | peak RSS MiB |",
        "|---:|---:|---|---:|---:|---:|---:|---:|---:|",
    ]
    for size in result["sizes"]:
        runs, values = size["runs"], size["values"]
        limit = runs["handwritten"]["wall_s"]
        rows = [
            (
                "hand-written DuckDB script (limit)",
                runs["handwritten"]["wall_s"],
                runs["handwritten"],
            ),
            ("dbt engine models, inside nodes", runs["engine"]["nodes_s"], runs["engine"]),
            ("dbt engine models, wall (`dbt run`)", runs["engine"]["wall_s"], runs["engine"]),
            *(
                [("dbt build, every test (wall)", runs["build"]["wall_s"], runs["build"])]
                if "build" in runs  # a size may be measured without the whole build
                else []
            ),
            *(
                [("pandas peer", runs["pandas"]["wall_s"], runs["pandas"])]
                if "pandas" in runs
                else []
            ),
        ]
        limit_cpu = runs["handwritten"]["cpu_s"]
        for name, seconds, run in rows:
            cpu = "" if "inside nodes" in name else f"{run['cpu_s']:.1f}"
            cpu_ratio = "" if "inside nodes" in name else f"{run['cpu_s'] / limit_cpu:.2f}×"
            lines.append(
                f"| {values:,} | {size['units']:,} | {name} | {seconds:.1f} | "
                f"{seconds / limit:.2f}× | {cpu} | {cpu_ratio} | {values / seconds:,.0f} | "
                f"{run['peak_rss'] / 2**20:,.0f} |"
            )
    lines += ["", *goal_lines(result)]
    lines += [
        "",
        f"![CPU time against size, log–log](images/{PLOT.name})",
        "",
        "Rows of the marts at each size: "
        + "; ".join(
            f"{size['values']:,} values → "
            + ", ".join(f"{table} {n:,}" for table, n in size["rows"].items())
            for size in result["sizes"]
        ),
        "",
    ]
    return lines


def goal_lines(result: dict) -> list[str]:
    """The issue's goals (#10), each judged on this run's figures."""
    at = {round(math.log10(size["values"])): size["runs"] for size in result["sizes"]}

    def verdict(met: bool) -> str:
        return "met" if met else "NOT met"

    lines = []
    for power in (6, 7):
        if power not in at:
            lines.append(
                f"- Goal: engine models within 2× of the limit at 10^{power}: not measured."
            )
            continue
        runs = at[power]
        ratio = runs["engine"]["nodes_s"] / runs["handwritten"]["wall_s"]
        lines.append(
            f"- Goal: engine models within 2× of the limit at 10^{power} — {verdict(ratio <= 2)} "
            f"in this run ({ratio:.2f}× inside the nodes; "
            f"{runs['engine']['wall_s'] / runs['handwritten']['wall_s']:.2f}× with dbt's start-up)."
        )
        if "pandas" in runs:
            slower = runs["pandas"]["wall_s"] > max(
                runs["handwritten"]["wall_s"], runs["engine"]["nodes_s"]
            )
            lines.append(
                f"- Goal: the pandas peer slower than both at 10^{power} — {verdict(slower)} "
                f"({runs['pandas']['wall_s']:.1f} s against {runs['handwritten']['wall_s']:.1f} s "
                f"and {runs['engine']['nodes_s']:.1f} s inside the engine's nodes)."
            )
    if 6 in at and "build" in at[6]:
        seconds = at[6]["build"]["wall_s"]
        lines.append(
            f"- Goal: `dbt build` with every test at 10^6 under 60 s — {verdict(seconds < 60)} "
            f"({seconds:.1f} s wall)."
        )
    if 7 in at:
        peak = at[7]["engine"]["peak_rss"] / 2**30
        lines.append(
            f"- Goal: the engine's peak memory at 10^7 under 4 GiB — {verdict(peak < 4)} "
            f"({peak:.2f} GiB)."
        )
    return lines


def parse_sizes(text: str) -> list[int]:
    return [int(float(part)) for part in text.split(",") if part.strip()]


def run(sizes: str, workdir: Path) -> list[str]:
    """The section's markdown lines (none when no size is given); writes the plot."""
    if not parse_sizes(sizes):
        return []
    workdir.mkdir(parents=True, exist_ok=True)
    result = bench(parse_sizes(sizes), workdir)
    plot(result)
    return render(result)


def update_section(lines: list[str], path: Path = BENCHMARK_MD) -> None:
    """Replace (or append) this section of docs/benchmark.md, leaving the others as they are."""
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmark\n"
    heading = next(line for line in lines if line.startswith("## "))
    start = text.find(heading)
    if start == -1:
        text = text.rstrip("\n") + "\n"
        start = end = len(text)
    else:
        following = text.find("\n## ", start + len(heading))
        end = len(text) if following == -1 else following + 1
    path.write_text(
        text[:start] + "\n".join(lines).lstrip("\n") + "\n" + text[end:], encoding="utf-8"
    )


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "worker":
        kind, database, raw_dir, framework_id = sys.argv[2:6]
        worker(kind, Path(database), Path(raw_dir), framework_id)
        return 0
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=DEFAULT_SIZES, help="values, comma-separated")
    parser.add_argument("--framework", default=FRAMEWORK)
    parser.add_argument(
        "--write", action="store_true", help="replace this section of docs/benchmark.md"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="dci_scale_") as tmp:
        result = bench(parse_sizes(args.sizes), Path(tmp), args.framework)
    lines = render(result)
    print("\n".join(lines))
    if args.write:  # the plot belongs to the section: written with it, never by a trial run
        plot(result)
        update_section(lines)
    return 0


if __name__ == "__main__":
    sys.exit(main())
