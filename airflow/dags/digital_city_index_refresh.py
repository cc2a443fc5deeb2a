"""Airflow DAG `digital_city_index_refresh`: the safe warehouse refresh of docs/operations.md.

    stage ─► dbt_build.{seed ─► staging ─► intermediate ─► marts ─► reporting ─► test}
          ─► validate_marts ─► publish
    any failure of stage, dbt_build or validate_marts ─► cleanup_on_failure

* stage            `scripts/refresh.py stage --run-id <run id>`: checks the raw inputs, copies them
                   into warehouse/.staging/<run id>/ and pushes {"candidate", "raw_data_dir", …}
                   to XCom.
* dbt_build.*      one BashOperator per dbt layer, each calling the dbt of the project's .venv with
                   DCI_DUCKDB_PATH=<candidate> and --vars raw_data_dir=<staged copy>. Together they
                   are `dbt build`: every seed and model, then every data test.
* validate_marts   the great-expectations gate, `scripts/validate_marts.py --warehouse <candidate>`;
                   exit 1 (an expectation failed) fails the run without retries.
* publish          `scripts/refresh.py publish --candidate <candidate>`: the drop guard (a framework
                   or more than a set share of its units that would vanish: exit 10, not retried),
                   then the crash-safe, pair-consistent swap of the warehouse and the serving
                   database (a kill between the two is settled by the next task or refresh).
* cleanup_on_failure  trigger rule ONE_FAILED: `scripts/refresh.py cleanup` removes the staging
                   and settles a publish a kill left half done.

The live file is never written before `publish`, so a failed run leaves BI tools on the previous
warehouse. Where the project is: Airflow Variable `dci_project_dir`, else env DCI_PROJECT_DIR, else
the repository this file lives in (airflow/dags/ → ../..). Resolved at run time by `stage` (so
parsing the DAG never touches the metadata database) and handed to later tasks through XCom.

Param `allow_drop` (trigger with config {"allow_drop": ["h3c_cddi_2022__zone"]}, or ["all"]) is the
operator's explicit consent, passed to stage and publish as --allow-drop (docs/operations.md).
Exit codes of refresh.py: 10 (input rejected, drop guard) and 11 (validation failed) fail the run
without retries; 12 (locked: a cron refresh runs) and 13 (operational: disk full, permissions) are
retried twice, five minutes apart.

This DAG file imports only Airflow: dbt and great-expectations run in their own virtualenvs.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pendulum
from airflow.exceptions import AirflowFailException
from airflow.providers.standard.operators.bash import BashOperator
from airflow.sdk import DAG, Param, TaskGroup, task
from airflow.utils.trigger_rule import TriggerRule

DAG_ID = "digital_city_index_refresh"
DEFAULT_PROJECT_DIR = Path(__file__).resolve().parents[2]

# Exit codes of scripts/refresh.py (docs/operations.md). Those retrying cannot fix fail at once.
EXIT_INPUT_REJECTED, EXIT_VALIDATION_FAILED, EXIT_LOCKED, EXIT_INTERNAL = 10, 11, 12, 13

# default_args apply to every task:
#   owner              who answers for the refresh.
#   retries/retry_delay transient trouble (lock held by a cron `make refresh`, a busy disk) gets
#                      two more tries five minutes apart; data problems raise AirflowFailException,
#                      which is never retried.
#   execution_timeout  no task may hang the refresh; the dbt layers override it below.
#   depends_on_past    False: each day's refresh stands alone (yesterday's failure must not block).
DEFAULT_ARGS = {
    "owner": "digital-city-index",
    "depends_on_past": False,
    "retries": 2,
    "retry_delay": timedelta(minutes=5),
    "retry_exponential_backoff": False,
    "execution_timeout": timedelta(minutes=15),
}
DBT_TASK_TIMEOUT = timedelta(minutes=30)
# SLA-style bound on a whole run (Airflow 3 has no task SLAs): a refresh not done in 2 hours fails,
# and the next day's run starts clean.
DAGRUN_TIMEOUT = timedelta(hours=2)

# dbt layers, run in this order; together they are `dbt build` (seeds, models, then data tests).
DBT_LAYERS = [
    ("seed", "seed"),
    ("staging", "run --select path:models/staging"),
    ("intermediate", "run --select path:models/intermediate"),
    ("marts", "run --select path:models/marts"),
    ("reporting", "run --select path:models/reporting"),
    ("test", "test"),
]


def resolve_project_dir() -> Path:
    """Airflow Variable `dci_project_dir` → env DCI_PROJECT_DIR → the repository of this file."""
    value = None
    try:
        from airflow.sdk import Variable

        value = Variable.get("dci_project_dir", default=None)
    except Exception:  # no metadata database / API reachable (e.g. plain parsing): fall back
        value = None
    return Path(value or os.environ.get("DCI_PROJECT_DIR") or DEFAULT_PROJECT_DIR).resolve()


def project_python(project_dir: Path) -> str:
    """The interpreter of the dbt virtualenv (it has duckdb, which refresh.py imports)."""
    python = project_dir / ".venv" / "bin" / "python"
    return str(python) if python.exists() else sys.executable


def run_script(command: list[str], project_dir: Path) -> subprocess.CompletedProcess:
    print("$ " + " ".join(command), flush=True)
    result = subprocess.run(command, cwd=project_dir, capture_output=True, text=True, check=False)
    if result.stdout.strip():
        print(result.stdout.rstrip(), flush=True)
    if result.stderr.strip():
        print(result.stderr.rstrip(), file=sys.stderr, flush=True)
    return result


def fail_for(result: subprocess.CompletedProcess, what: str) -> None:
    """Map a refresh.py exit code to an Airflow outcome: data problems are final, the rest retry."""
    if result.returncode in (EXIT_INPUT_REJECTED, EXIT_VALIDATION_FAILED):
        raise AirflowFailException(f"{what}: exit {result.returncode} (data rejected; not retried)")
    raise RuntimeError(f"{what}: exit {result.returncode}")


def allow_drop_args() -> list[str]:
    """--allow-drop for each framework the run's `allow_drop` param names."""
    from airflow.sdk import get_current_context

    frameworks = get_current_context()["params"].get("allow_drop") or []
    return [argument for framework in frameworks for argument in ("--allow-drop", str(framework))]


def xcom(key: str) -> str:
    return "{{ ti.xcom_pull(task_ids='stage')['" + key + "'] }}"


with DAG(
    dag_id=DAG_ID,
    description=(
        "Daily safe refresh of the digital city index warehouse (stage → dbt → GX gate → publish)"
    ),
    schedule="0 3 * * *",  # daily at 03:00 UTC; the same job cron runs as `make refresh`
    start_date=pendulum.datetime(2026, 1, 1, tz="UTC"),
    catchup=False,
    max_active_runs=1,  # refresh.py also holds a lock; one candidate at a time
    dagrun_timeout=DAGRUN_TIMEOUT,
    default_args=DEFAULT_ARGS,
    tags=["dbt", "duckdb", "digital-city-index"],
    doc_md=__doc__,
    params={
        "allow_drop": Param(
            [],
            type="array",
            items={"type": "string"},
            description="frameworks allowed to vanish or lose units in this run (`all`: every one)",
        ),
    },
) as dag:

    @task(task_id="stage", execution_timeout=timedelta(minutes=10))
    def stage(run_id: str | None = None) -> dict:
        """Check inputs and create the candidate; XCom: candidate, raw_data_dir, target_path,
        project_dir."""
        project_dir = resolve_project_dir()
        # Airflow run ids hold ':' and '+'; keep the staging folder name portable.
        safe_run_id = re.sub(r"[^A-Za-z0-9_.-]", "_", run_id or "manual")
        result = run_script(
            [
                project_python(project_dir),
                "scripts/refresh.py",
                "stage",
                "--run-id",
                safe_run_id,
                *allow_drop_args(),
            ],
            project_dir,
        )
        if result.returncode != 0:
            fail_for(result, "refresh.py stage")
        lines = [line for line in result.stdout.splitlines() if line.strip().startswith("{")]
        if not lines:
            raise RuntimeError("refresh.py stage printed no JSON")
        paths = json.loads(lines[-1])
        candidate = Path(paths["candidate"])
        paths.setdefault("target_path", str(candidate.parent / "target"))
        paths["project_dir"] = str(project_dir)
        paths["dbt"] = str(project_dir / ".venv" / "bin" / "dbt")
        paths["dbt_vars"] = json.dumps({"raw_data_dir": paths["raw_data_dir"]})
        return paths

    staged = stage()

    with TaskGroup(
        group_id="dbt_build", tooltip="dbt build of the candidate, one task per layer"
    ) as dbt_build:
        previous = None
        for name, command in DBT_LAYERS:
            layer = BashOperator(
                task_id=name,
                # Each layer writes its artefacts (manifest, run_results, partial parse) into the
                # candidate's own target path, never the repository's target/.
                bash_command=(
                    'cd "$DCI_PROJECT_DIR" && "$DCI_DBT" '
                    + command
                    + ' --target-path "$DCI_TARGET_PATH" --vars "$DCI_DBT_VARS"'
                ),
                env={
                    "DCI_PROJECT_DIR": xcom("project_dir"),
                    "DCI_DBT": xcom("dbt"),
                    "DCI_DUCKDB_PATH": xcom("candidate"),
                    # The serving database (reporting marts) beside the candidate, never the live.
                    "DCI_SERVING_PATH": xcom("serving_candidate"),
                    "DCI_TARGET_PATH": xcom("target_path"),
                    "DCI_DBT_VARS": xcom("dbt_vars"),
                    "DBT_PROFILES_DIR": xcom("project_dir"),
                    "DBT_LOG_PATH": xcom("target_path") + "/logs",
                    "DBT_SEND_ANONYMOUS_USAGE_STATS": "false",
                },
                append_env=True,
                execution_timeout=DBT_TASK_TIMEOUT,
            )
            if previous is not None:
                previous >> layer
            previous = layer

    @task(task_id="validate_marts")
    def validate_marts(paths: dict) -> None:
        """The gate: great-expectations on the candidate's marts. Exit 1 stops the run for good."""
        project_dir = Path(paths["project_dir"])
        docs = Path(paths["candidate"]).parent / "gx_data_docs"
        result = run_script(
            [
                project_python(project_dir),
                "scripts/validate_marts.py",
                "--warehouse",
                paths["candidate"],
                "--docs-dir",
                str(docs),
            ],
            project_dir,
        )
        if result.returncode == 1:
            raise AirflowFailException(
                "validate_marts.py: expectations failed; the candidate is not published"
            )
        if result.returncode != 0:
            raise RuntimeError(f"validate_marts.py could not run (exit {result.returncode})")

    @task(task_id="publish", execution_timeout=timedelta(minutes=15))
    def publish(paths: dict) -> str:
        """Keep the live file as a generation and atomically swap the candidate in."""
        project_dir = Path(paths["project_dir"])
        result = run_script(
            [
                project_python(project_dir),
                "scripts/refresh.py",
                "publish",
                "--candidate",
                paths["candidate"],
                *allow_drop_args(),
            ],
            project_dir,
        )
        if result.returncode != 0:
            fail_for(result, "refresh.py publish")
        return paths["candidate"]

    @task(task_id="cleanup_on_failure", trigger_rule=TriggerRule.ONE_FAILED, retries=0)
    def cleanup_on_failure() -> None:
        """Remove the staging a failed run left (`refresh.py cleanup`). If a cron refresh holds the
        lock (exit 12), remove only this run's staging folder and leave the rest to that refresh."""
        from airflow.sdk import get_current_context

        ti = get_current_context()["ti"]
        paths = ti.xcom_pull(task_ids="stage") or {}
        project_dir = Path(paths.get("project_dir") or resolve_project_dir())
        result = run_script(
            [project_python(project_dir), "scripts/refresh.py", "cleanup"], project_dir
        )
        if result.returncode == EXIT_LOCKED and paths.get("candidate"):
            import shutil

            shutil.rmtree(Path(paths["candidate"]).parent, ignore_errors=True)
        elif result.returncode != 0:
            raise RuntimeError(f"refresh.py cleanup: exit {result.returncode}")

    gate = validate_marts(staged)
    published = publish(staged)
    cleanup = cleanup_on_failure()

    staged >> dbt_build >> gate >> published
    # publish stays a leaf so a failed run is marked failed (cleanup succeeding must not hide it);
    # A publish that fails (or is killed) before its first swap leaves the live pair untouched;
    # one stopped between its swaps is completed by the next refresh.py command, which settles
    # the publish journal first. Its staging folder goes at the next failed run's cleanup or the
    # next `refresh.py run` (cron), which cleans up first.
    [staged, dbt_build, gate] >> cleanup
