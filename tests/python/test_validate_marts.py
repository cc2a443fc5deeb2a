"""scripts/validate_marts.py (great-expectations): passes on the built test warehouse, and every
expectation fails when the mart it guards is corrupted.

Needs the built test warehouse (`make dbt-test` writes target/test/digital_city_index.duckdb;
DCI_DUCKDB_PATH overrides) and great-expectations in the venv running pytest. GX is installed
into .venv on top of requirements.lock, changing none of its pins:

    .venv/bin/pip install -r requirements-gx.lock -c requirements.lock

Each test validates a copy of the warehouse (about 6 s per run), never the file itself.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

REPO = Path(__file__).resolve().parents[2]
SCRIPT = REPO / "scripts" / "validate_marts.py"
WAREHOUSE = Path(
    os.environ.get("DCI_DUCKDB_PATH", REPO / "target" / "test" / "digital_city_index.duckdb")
)

# (what is broken, SQL run on the copy, the failures the validator must print: each a tuple of
# fragments of one "FAILED <mart>: <expectation>(...)" line). Mutations touch different rows, so
# that each expected expectation fails and no other does.
ROW = (
    "(select index_score_id from marts.fct_index_scores where framework_id = '{}'"
    " order by index_score_id limit 1 offset {})"
)
NOT_EXEMPT_ROW = """(
    select index_score_id from marts.fct_index_scores as scores
    where framework_id = 'h3c_cddi_2022__zone' and is_synthetic and not exists (
        select 1 from marts.fct_source_discrepancies as d
        where d.framework_id = scores.framework_id
            and d.subject in (scores.unit_id, scores.name_as_printed))
    order by index_score_id limit 1)"""
CITY_2021 = "h3c_dei_2021__city"


def between(mart: str, column: str) -> tuple[str, ...]:
    return (f"FAILED {mart}: expect_column_values_to_be_between(column='{column}'",)


MUTATIONS = [
    (
        "a composite above 100",
        "update marts.fct_index_scores set composite_score = 120"
        f" where index_score_id = {ROW.format(CITY_2021, 0)}",
        [between("fct_index_scores", "composite_score")],
    ),
    (
        "a pillar score below 0",
        "update marts.fct_index_scores set p3_score = -1"
        f" where index_score_id = {ROW.format(CITY_2021, 1)}",
        [between("fct_index_scores", "p3_score")],
    ),
    (
        "a rank of 0",
        "update marts.fct_index_scores set composite_rank = 0"
        f" where index_score_id = {ROW.format(CITY_2021, 2)}",
        [between("fct_index_scores", "composite_rank")],
    ),
    (
        "an unknown tier",
        "update marts.fct_index_scores set tier_code = 'tier_9'"
        f" where index_score_id = {ROW.format(CITY_2021, 3)}",
        [
            (
                "FAILED fct_index_scores: expect_column_values_to_be_in_set(column='tier_code')",
                "'tier_9'",
            )
        ],
    ),
    (
        "a tier in a framework without tier rules",
        "update marts.fct_index_scores set tier_code = 'tier_1'"
        f" where index_score_id = {ROW.format('h3c_cddi_2022__county', 0)}",
        [("FAILED fct_index_scores: expect_column_values_to_be_null(column='tier_code')",)],
    ),
    (
        "a ranked unit without a composite",
        "update marts.fct_index_scores set composite_score = null"
        f" where index_score_id = {ROW.format(CITY_2021, 4)}",
        [
            (
                "FAILED fct_index_scores: "
                "expect_column_values_to_not_be_null(column='composite_score')",
                "published_rank.notnull()",
            )
        ],
    ),
    (
        "a duplicated index score key",
        f"update marts.fct_index_scores set index_score_id = {ROW.format(CITY_2021, 6)}"
        f" where index_score_id = {ROW.format(CITY_2021, 5)}",
        [("FAILED fct_index_scores: expect_column_values_to_be_unique(column='index_score_id')",)],
    ),
    (
        "a synthetic score 0.2 off the published one",
        "update marts.fct_index_scores set score_difference = 0.2"
        f" where index_score_id = {NOT_EXEMPT_ROW}",
        [between("fct_index_scores", "score_difference")],
    ),
    (
        "a framework missing a unit",
        "delete from marts.fct_index_scores"
        f" where index_score_id = {ROW.format('h3c_dei_2020__county', 0)}",
        [
            (
                "FAILED fct_index_scores: expect_table_row_count_to_equal(",
                'where framework_id == "h3c_dei_2020__county"',
            )
        ],
    ),
    (
        "a duplicated node score key, with a score above 100",
        "update marts.fct_node_scores"
        " set node_score_id = (select min(node_score_id) from marts.fct_node_scores),"
        " score_0_100 = 101"
        " where node_score_id = (select max(node_score_id) from marts.fct_node_scores)",
        [
            ("FAILED fct_node_scores: expect_column_values_to_be_unique(column='node_score_id')",),
            between("fct_node_scores", "score_0_100"),
        ],
    ),
    (
        "a duplicated indicator score key, with a negative score",
        "update marts.fct_indicator_scores"
        " set indicator_score_id ="
        " (select min(indicator_score_id) from marts.fct_indicator_scores),"
        " score_0_100 = -5 where indicator_score_id ="
        " (select max(indicator_score_id) from marts.fct_indicator_scores)",
        [
            (
                "FAILED fct_indicator_scores: "
                "expect_column_values_to_be_unique(column='indicator_score_id')",
            ),
            between("fct_indicator_scores", "score_0_100"),
        ],
    ),
    (
        "a duplicated published row",
        "insert into marts.fct_published_results select * from marts.fct_published_results limit 1",
        [
            (
                "FAILED fct_published_results: "
                "expect_compound_columns_to_be_unique(column_list=['table_id', 'row_order'])",
            )
        ],
    ),
    (
        "a 2021 cluster weighted score off the printed one",
        "update marts.fct_cluster_scores set weighted_score_difference = 0.3"
        " where edition_cluster_id = (select min(edition_cluster_id) from marts.fct_cluster_scores"
        " where edition_id = 'h3c_dei_2021' and weighted_score_difference is not null)",
        [between("fct_cluster_scores", "weighted_score_difference")],
    ),
    (
        "a duplicated geographic unit",
        "insert into marts.dim_geo_units select * from marts.dim_geo_units limit 1",
        [("FAILED dim_geo_units: expect_column_values_to_be_unique(column='unit_id')",)],
    ),
]


def run_validator(warehouse: Path, docs_dir: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(SCRIPT), "--warehouse", str(warehouse), "--docs-dir", str(docs_dir)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=600,
    )


@pytest.fixture()
def warehouse_copy(tmp_path: Path) -> Path:
    if importlib.util.find_spec("great_expectations") is None:
        pytest.skip(
            f"great_expectations is not installed in {sys.prefix}: "
            ".venv/bin/pip install -r requirements-gx.lock -c requirements.lock"
        )
    if not WAREHOUSE.is_file():
        pytest.skip(f"no built test warehouse at {WAREHOUSE}: run `make dbt-test` first")
    copy = tmp_path / "warehouse.duckdb"
    shutil.copyfile(WAREHOUSE, copy)
    return copy


def test_built_warehouse_passes_and_writes_data_docs(warehouse_copy: Path, tmp_path: Path) -> None:
    docs = tmp_path / "data_docs"
    result = run_validator(warehouse_copy, docs)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "FAILED" not in result.stdout
    for mart in (
        "fct_index_scores",
        "fct_node_scores",
        "fct_indicator_scores",
        "fct_published_results",
        "fct_cluster_scores",
        "dim_geo_units",
    ):
        assert re.search(rf"^{mart} +(\d+)/\1 expectations passed", result.stdout, re.MULTILINE), (
            result.stdout
        )
    assert (docs / "index.html").is_file()
    assert list((docs / "validations").rglob("*.html")), (
        "no validation result page in the Data Docs"
    )


def test_each_expectation_fails_on_a_corrupted_copy(warehouse_copy: Path, tmp_path: Path) -> None:
    with duckdb.connect(str(warehouse_copy)) as con:
        for _broken, sql, _ in MUTATIONS:
            con.execute(sql)
    result = run_validator(warehouse_copy, tmp_path / "data_docs")
    assert result.returncode == 1, result.stdout + result.stderr
    failure_lines = [
        line.strip() for line in result.stdout.splitlines() if line.startswith("  FAILED ")
    ]
    expected = [(broken, fragments) for broken, _, failures in MUTATIONS for fragments in failures]
    for broken, fragments in expected:
        matches = [
            line for line in failure_lines if all(fragment in line for fragment in fragments)
        ]
        assert len(matches) == 1, (
            f"{broken}: expected one failure line with {fragments} in\n{result.stdout}"
        )
    assert len(failure_lines) == len(expected), (
        "an expectation nothing broke failed:\n" + result.stdout
    )


def test_internal_error_exits_2(tmp_path: Path) -> None:
    result = run_validator(tmp_path / "missing.duckdb", tmp_path / "data_docs")
    assert result.returncode == 2
    assert "no warehouse" in result.stderr
