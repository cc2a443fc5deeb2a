"""The dbt data tests can fail: plant one error per invariant in a copy of the project, build it,
and check that exactly the guarding test reports it.

One build of a mutated copy (about 40 s) covers every planted error at once; each mutation touches
a different table or framework so the failures do not mask each other.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT_ITEMS = (
    "dbt_project.yml",
    "profiles.yml",
    "models",
    "macros",
    "seeds",
    "tests",
    "analyses",
    "docs",
    "data",
)


def replace_once(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1, f"{path}: expected exactly one {old!r}"
    path.write_text(text.replace(old, new), encoding="utf-8")


def drop_line(path: Path, line: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [existing for existing in lines if not existing.startswith(line)]
    assert len(kept) == len(lines) - 1, f"{path}: expected one line starting {line!r}"
    path.write_text("".join(kept), encoding="utf-8")


def set_rank(path: Path, table_id: str, row_order: int, new_rank: int) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    for index, line in enumerate(lines):
        fields = line.split(",")
        if fields[0] == table_id and fields[1] == str(row_order):
            fields[3] = str(new_rank)
            lines[index] = ",".join(fields)
            break
    else:
        raise AssertionError(f"row {row_order} not found in {path}")
    path.write_text("".join(lines), encoding="utf-8")


def rename_first_row(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    fields = lines[1].split(",")
    fields[2] = fields[2] + "不存在市"
    lines[1] = ",".join(fields)
    path.write_text("".join(lines), encoding="utf-8")


# (what is broken, how, the test expected to catch it)
MUTATIONS = [
    (
        "a level-1 weight no longer sums to 1 with its siblings",
        lambda root: replace_once(
            root / "macros/frameworks/h3c_dei_2020__city.sql",
            '"node_code": "p1", "parent_code": "root", "level": 1, '
            '"name_zh": "数据及信息化基础设施", '
            '"name_en": "Data and ICT infrastructure", "weight": 0.2,',
            '"node_code": "p1", "parent_code": "root", "level": 1, '
            '"name_zh": "数据及信息化基础设施", '
            '"name_en": "Data and ICT infrastructure", "weight": 0.3,',
        ),
        "weights_sum_to_one_dim_framework_nodes_weight",
    ),
    (
        "the rank-2 city scores above the rank-1 city",
        lambda root: replace_once(
            root / "seeds/published/h3c_dei_2020/h3c_dei_2020__ranking_rows.csv",
            "h3c_dei_2020__city_index,2,深圳,2,90.2,",
            "h3c_dei_2020__city_index,2,深圳,2,90.9,",
        ),
        "scores_not_increasing_with_rank_fct_published_results",
    ),
    (
        "a rank printed twice",
        lambda root: set_rank(
            root / "seeds/published/h3c_cddi_2022/h3c_cddi_2022__district_ranking_rows.csv",
            table_id="h3c_cddi_2022__district_ranking",
            row_order=5,
            new_rank=4,
        ),
        "ranks_are_permutation_fct_published_results",
    ),
    (
        "a cluster member lost",
        lambda root: drop_line(
            root / "seeds/published/h3c_dei_2020/h3c_dei_2020__cluster_members.csv",
            "jingjinji,天津,",
        ),
        "assert_cluster_member_counts_match_printed",
    ),
    (
        "a tier-1 city listed in the wrong tier",
        lambda root: replace_once(
            root / "seeds/published/h3c_cddi_2022/h3c_cddi_2022__city_tier_members.csv",
            "h3c_cddi_2022__city,city,tier_1,北京,",
            "h3c_cddi_2022__city,city,tier_2,北京,",
        ),
        "assert_tier_members_within_thresholds",
    ),
    (
        "a printed average that the table does not reproduce",
        lambda root: replace_once(
            root / "seeds/published/h3c_dei_2021/h3c_dei_2021__aggregates.csv",
            "h3c_dei_2021__city,mean_score,framework,all,53.4,",
            "h3c_dei_2021__city,mean_score,framework,all,53.6,",
        ),
        "assert_score_tables_reproduce_printed_count_and_mean",
    ),
    (
        "a printed name no alias resolves",
        lambda root: rename_first_row(
            root / "seeds/published/ccid_dcc_2022/ccid_dcc_2022__ranking_rows.csv"
        ),
        "assert_printed_names_resolve_to_one_unit",
    ),
]


@pytest.fixture(scope="module")
def mutated_build(repo: Path, tmp_path_factory) -> dict[str, str]:
    root = tmp_path_factory.mktemp("mutated_project")
    for item in PROJECT_ITEMS:
        source = repo / item
        if source.is_dir():
            shutil.copytree(source, root / item)
        elif source.exists():
            shutil.copy2(source, root / item)
    for _, mutate, _ in MUTATIONS:
        mutate(root)
    env = dict(os.environ, DBT_PROFILES_DIR=str(root), DCI_DUCKDB_PATH=str(root / "mutated.duckdb"))
    dbt = Path(sys.executable).with_name("dbt")
    subprocess.run(
        [str(dbt), "build", "--quiet"], cwd=root, env=env, check=False, capture_output=True
    )
    results = json.loads((root / "target" / "run_results.json").read_text(encoding="utf-8"))
    return {result["unique_id"]: result["status"] for result in results["results"]}


@pytest.mark.parametrize(
    "description,expected_test", [(m[0], m[2]) for m in MUTATIONS], ids=[m[2] for m in MUTATIONS]
)
def test_planted_error_is_caught(mutated_build, description, expected_test):
    matching = {uid: status for uid, status in mutated_build.items() if f".{expected_test}" in uid}
    assert matching, f"no test named {expected_test} ran"
    assert "fail" in matching.values(), f"{description}: {expected_test} did not fail ({matching})"


def test_models_still_build_under_mutation(mutated_build):
    errored = [uid for uid, status in mutated_build.items() if status == "error"]
    assert not errored, f"mutations should break data tests, not the build: {errored}"
