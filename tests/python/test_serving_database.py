"""The serving database (reporting marts, storage version v1.4.0) as a BI tool embedding DuckDB 1.x
sees it, and its atomic publication by the refresh beside the warehouse."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from warehouse_utils import file_digest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
from serving_path import serving_path, warehouse_path  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
DUCKDB1_DIR = Path(os.environ.get("DCI_DUCKDB1_DIR", REPO / "target" / "duckdb1"))

# Runs under the DuckDB 1.x client only (PYTHONPATH puts it before the venv's duckdb 2.0).
READ_AS_BI_TOOL = """
import json, sys, duckdb
result = {"version": duckdb.__version__}
con = duckdb.connect(sys.argv[1], read_only=True)
tables = con.execute(
    "select table_name, comment from duckdb_tables() where schema_name = 'reporting'"
).fetchall()
result["tables"] = sorted(name for name, _ in tables)
result["commented"] = sorted(name for name, comment in tables if comment)
result["leader"] = con.execute(
    "select unit_name_zh, published_score::double from reporting.rankings "
    "where framework_id = 'h3c_cddi_2022__city' and published_rank = 1").fetchone()
try:
    con.execute("create table reporting.scratch (x int)")
    result["writable"] = True
except duckdb.Error:
    result["writable"] = False
con.close()  # one configuration per file and process: the SQLAlchemy engine opens its own
import sqlalchemy
engine = sqlalchemy.create_engine(f"duckdb:///{sys.argv[1]}", connect_args={"read_only": True})
with engine.connect() as connection:  # the way Superset connects (duckdb-engine)
    inspector = sqlalchemy.inspect(connection)
    result["sqlalchemy_tables"] = sorted(inspector.get_table_names(schema="reporting"))
    comment = inspector.get_table_comment("rankings", schema="reporting")
    result["sqlalchemy_comment"] = comment["text"]
try:
    duckdb.connect(sys.argv[2], read_only=True)
    result["warehouse_error"] = None
except duckdb.Error as error:
    result["warehouse_error"] = str(error)
print(json.dumps(result, ensure_ascii=False))
"""


def read_as_bi_tool(serving: Path, warehouse: Path) -> dict:
    if not (DUCKDB1_DIR / "duckdb").is_dir():
        pytest.fail(f"no DuckDB 1.x client in {DUCKDB1_DIR}: run `make setup-duckdb1`")
    env = dict(os.environ, PYTHONPATH=str(DUCKDB1_DIR))
    result = subprocess.run(
        [sys.executable, "-c", READ_AS_BI_TOOL, str(serving), str(warehouse)],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(result.stdout)


def test_a_duckdb_1x_client_opens_the_serving_database_but_not_the_warehouse():
    serving, warehouse = serving_path(), warehouse_path()
    if not serving.exists():
        pytest.skip(f"no serving database at {serving} (run `make dbt-test` first)")
    seen = read_as_bi_tool(serving, warehouse)
    assert seen["version"].startswith("1.")
    assert {
        "rankings",
        "tier_transitions",
        "cluster_scores",
        "area_summaries",
        "h3c_vs_ccid_summary",
        "digital_economy_scale",
        "figure_sources",
    } <= set(seen["commented"])
    assert seen["commented"] == seen["tables"]
    assert seen["leader"] == ["北京市", 92.5]
    assert seen["writable"] is False
    assert seen["sqlalchemy_tables"] == seen["tables"]
    assert seen["sqlalchemy_comment"].startswith("One row per framework × ranked unit")
    # The control: the warehouse itself is in DuckDB 2.0's storage format, which 1.x refuses.
    assert "version number" in seen["warehouse_error"]


def test_refresh_publishes_the_serving_database_beside_the_warehouse_and_rolls_it_back(tmp_path):
    built = warehouse_path()
    if not serving_path(built).exists():
        pytest.skip(f"no built warehouse at {built} (run `make dbt-test` first)")
    live = tmp_path / "digital_city_index.duckdb"
    shutil.copy2(built, live)
    shutil.copy2(serving_path(built), serving_path(live))
    with __import__("duckdb").connect(str(serving_path(live))) as con:
        con.execute(
            "create table reporting.previous_marker as select 1 as x"
        )  # tells the old file apart
    before = file_digest(serving_path(live))
    env = {k: v for k, v in os.environ.items() if k != "DCI_SERVING_PATH"}
    env.update(DCI_DUCKDB_PATH=str(live), DCI_LOG_FILE=str(tmp_path / "refresh.log"))
    result = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "refresh.py"), "run"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, (result.stdout + result.stderr)[-3000:]
    # Each published file has its own generations, paired by generation id (scripts/publish.py).
    kept = list((tmp_path / "generations").glob("digital_city_index_serving.*.duckdb"))
    assert len(kept) == 1 and file_digest(kept[0]) == before
    generation_id = kept[0].name.removeprefix("digital_city_index_serving.")
    assert (tmp_path / "generations" / f"digital_city_index.{generation_id}").exists(), (
        "serving generation not paired with the warehouse's"
    )
    seen = read_as_bi_tool(serving_path(live), live)
    assert "previous_marker" not in seen["tables"] and seen["leader"] == ["北京市", 92.5]
    rollback = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "refresh.py"), "rollback"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert rollback.returncode == 0, rollback.stderr[-3000:]
    assert file_digest(serving_path(live)) == before
