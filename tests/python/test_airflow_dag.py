"""The Airflow DAG (airflow/dags/digital_city_index_refresh.py), tested from the main .venv.

Airflow lives in its own virtualenv (.venv-airflow, requirements-airflow.lock), so these tests shell
out to it: (a) parse the DAG folder offline and check the DAG's shape and its guards; (b) run the
whole DAG once with `airflow dags test` against a temporary live warehouse and check that the
refresh published a warehouse with scores. Both skip, saying why, when .venv-airflow is absent.
"""

from __future__ import annotations

import json
import os
import subprocess
import textwrap
from pathlib import Path

import duckdb
import pytest

REPO = Path(__file__).resolve().parents[2]
AIRFLOW_VENV = REPO / ".venv-airflow"
AIRFLOW_PYTHON = AIRFLOW_VENV / "bin" / "python"
AIRFLOW_CLI = AIRFLOW_VENV / "bin" / "airflow"
DAGS_FOLDER = REPO / "airflow" / "dags"
DAG_ID = "digital_city_index_refresh"

requires_airflow = pytest.mark.skipif(
    not AIRFLOW_CLI.exists(),
    reason=f"{AIRFLOW_VENV.name} is absent: create it with "
    "`python3 -m venv .venv-airflow && .venv-airflow/bin/pip install -r requirements-airflow.lock`",
)


def airflow_env(home: Path, **extra: str) -> dict[str, str]:
    """A clean Airflow environment: temporary AIRFLOW_HOME, SQLite, no examples, this DAG folder."""
    env = {
        key: value for key, value in os.environ.items() if not key.startswith(("AIRFLOW", "DCI_"))
    }
    env.update(
        AIRFLOW_HOME=str(home),
        AIRFLOW__CORE__DAGS_FOLDER=str(DAGS_FOLDER),
        AIRFLOW__CORE__LOAD_EXAMPLES="False",
        AIRFLOW__DATABASE__SQL_ALCHEMY_CONN=f"sqlite:///{home / 'airflow.db'}",
        AIRFLOW__LOGGING__LOGGING_LEVEL="INFO",
        DBT_SEND_ANONYMOUS_USAGE_STATS="false",
        **extra,
    )
    return env


DAG_SHAPE = textwrap.dedent(
    """
    import json, sys
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(dag_folder=sys.argv[1])
    dag = bag.dags.get(sys.argv[2])
    print(json.dumps({
        "import_errors": {str(k): str(v) for k, v in bag.import_errors.items()},
        "dag_ids": sorted(bag.dag_ids),
        "dag": None if dag is None else {
            "schedule": repr(dag.timetable),
            "catchup": dag.catchup,
            "max_active_runs": dag.max_active_runs,
            "dagrun_timeout": dag.dagrun_timeout.total_seconds() if dag.dagrun_timeout else None,
            "params": {key: dag.params[key] for key in dag.params},
            "tasks": {
                t.task_id: {
                    "upstream": sorted(t.upstream_task_ids),
                    "trigger_rule": str(getattr(t.trigger_rule, "value", t.trigger_rule)),
                    "retries": t.retries,
                    "retry_delay": t.retry_delay.total_seconds(),
                    "execution_timeout": (
                        t.execution_timeout.total_seconds() if t.execution_timeout else None
                    ),
                }
                for t in dag.tasks
            },
        },
    }))
    """
)


@pytest.fixture(scope="module")
def dag_shape(tmp_path_factory: pytest.TempPathFactory) -> dict:
    home = tmp_path_factory.mktemp("airflow_home")
    result = subprocess.run(
        [str(AIRFLOW_PYTHON), "-c", DAG_SHAPE, str(DAGS_FOLDER), DAG_ID],
        env=airflow_env(home),
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-4000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


@requires_airflow
def test_dag_folder_imports_without_errors(dag_shape: dict) -> None:
    assert dag_shape["import_errors"] == {}
    assert DAG_ID in dag_shape["dag_ids"]


@requires_airflow
def test_dag_tasks_and_dependencies(dag_shape: dict) -> None:
    tasks = dag_shape["dag"]["tasks"]
    layers = [
        "dbt_build.seed",
        "dbt_build.staging",
        "dbt_build.intermediate",
        "dbt_build.marts",
        "dbt_build.reporting",
        "dbt_build.test",
    ]
    assert set(tasks) == {"stage", *layers, "validate_marts", "publish", "cleanup_on_failure"}
    assert tasks["stage"]["upstream"] == []
    assert tasks[layers[0]]["upstream"] == ["stage"]
    for before, after in zip(layers, layers[1:], strict=False):
        assert tasks[after]["upstream"] == [before]
    # the gate runs only after every dbt test, and publish only after the gate
    assert "dbt_build.test" in tasks["validate_marts"]["upstream"]
    assert "validate_marts" in tasks["publish"]["upstream"]
    assert "dbt_build.test" not in tasks["publish"]["upstream"]  # never around the gate
    cleanup = tasks["cleanup_on_failure"]
    assert cleanup["trigger_rule"] == "one_failed"
    assert {"stage", "dbt_build.test", "validate_marts"} <= set(cleanup["upstream"])
    # cleanup must not be downstream of publish: publish stays a leaf, so a failed run is marked
    # failed
    assert "publish" not in cleanup["upstream"]


@requires_airflow
def test_dag_schedule_retries_and_timeouts(dag_shape: dict) -> None:
    dag = dag_shape["dag"]
    assert dag["catchup"] is False
    assert dag["max_active_runs"] == 1
    assert dag["params"] == {"allow_drop": []}  # the drop guard's consent is explicit, per run
    assert "0 3 * * *" in dag["schedule"]
    assert dag["dagrun_timeout"] and dag["dagrun_timeout"] <= 4 * 3600
    for task_id, task in dag["tasks"].items():
        assert task["execution_timeout"], f"{task_id} has no execution_timeout"
        assert task["execution_timeout"] <= dag["dagrun_timeout"]
        if task_id != "cleanup_on_failure":
            assert task["retries"] >= 1, f"{task_id} is never retried"
            assert task["retry_delay"] >= 60


@requires_airflow
def test_dag_runs_end_to_end_into_a_temporary_warehouse(tmp_path: Path) -> None:
    """`airflow dags test`: stage → dbt layers → GX gate → publish, on a throwaway live file."""
    home = tmp_path / "airflow_home"
    home.mkdir()
    live = tmp_path / "warehouse" / "digital_city_index.duckdb"
    live.parent.mkdir()
    env = airflow_env(
        home,
        DCI_PROJECT_DIR=str(REPO),
        DCI_DUCKDB_PATH=str(live),
        DCI_LOG_FILE=str(tmp_path / "refresh.log"),
    )
    migrate = subprocess.run(
        [str(AIRFLOW_CLI), "db", "migrate"],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert migrate.returncode == 0, migrate.stdout[-3000:] + migrate.stderr[-3000:]
    run = subprocess.run(
        [str(AIRFLOW_CLI), "dags", "test", DAG_ID],
        env=env,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    output = run.stdout + run.stderr
    (tmp_path / "dags_test.log").write_text(output, encoding="utf-8")
    assert run.returncode == 0, output[-6000:]
    assert "state=success" in output, output[-6000:]
    assert live.exists(), f"nothing published at {live}"
    with duckdb.connect(str(live), read_only=True) as con:
        scores = con.execute("select count(*) from marts.fct_index_scores").fetchone()[0]
    assert scores > 0
    staging = live.parent / ".staging"
    assert not staging.exists() or not any(staging.iterdir()), (
        "the published run left staging behind"
    )
