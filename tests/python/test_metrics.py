"""The semantic layer as an analyst uses it: `mf query` (MetricFlow) through
metricflow/profiles.yml, which attaches the serving database read-only, compared with the same
figures by plain SQL — and the serving file left byte for byte as it was."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest
from warehouse_utils import file_digest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
from serving_path import serving_path  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
MF = Path(sys.executable).with_name("mf")


@pytest.fixture(scope="module")
def serving() -> Path:
    path = serving_path().resolve()
    if not path.exists():
        pytest.skip(f"no serving database at {path} (run `make dbt-test` first)")
    if not MF.exists():
        pytest.fail(f"{MF} missing: run `make setup-metricflow`")
    return path


@pytest.fixture(scope="module")
def mf(serving, tmp_path_factory):
    """Run `mf query`, return its CSV rows as dicts."""
    scratch = tmp_path_factory.mktemp("mf")
    env = dict(
        os.environ,
        DBT_PROFILES_DIR=str(REPO / "metricflow"),
        DCI_SERVING_PATH=str(serving),
        DCI_METRICFLOW_SCRATCH=str(scratch / "scratch.duckdb"),
    )

    def query(*args: str) -> list[dict]:
        out = scratch / f"result{len(list(scratch.glob('result*')))}.csv"
        result = subprocess.run(
            [str(MF), "query", *args, "--csv", str(out)],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            check=False,
            timeout=300,
        )
        assert result.returncode == 0 and out.exists(), (result.stdout + result.stderr)[-3000:]
        with out.open(encoding="utf-8") as handle:
            return list(csv.DictReader(handle))

    return query


@pytest.fixture(scope="module")
def sql(serving):
    with duckdb.connect(str(serving), read_only=True) as con:
        yield lambda text: con.execute(text).fetchall()


def test_average_score_count_and_share_by_tier(serving, mf, sql):
    before = file_digest(serving)
    rows = mf(
        "--metrics",
        "average_published_score,units_ranked,tier_share_of_units",
        "--group-by",
        "ranking__framework_id,ranking__tier",
        "--where",
        "{{ Dimension('ranking__framework_id') }} = 'h3c_cddi_2022__city'",
    )
    got = {row["ranking__tier"]: row for row in rows}
    expected = sql("""
        select published_tier_label_zh, avg(published_score), count(*),
               count(*) / sum(count(*)) over ()
        from reporting.rankings
        where framework_id = 'h3c_cddi_2022__city' and is_published
        group by published_tier_label_zh
    """)
    assert set(got) == {"一线", "新一线", "二线", "三线", "四线"} == {row[0] for row in expected}
    for tier, mean, count, share in expected:
        assert float(got[tier]["average_published_score"]) == pytest.approx(float(mean))
        assert int(float(got[tier]["units_ranked"])) == count
        assert float(got[tier]["tier_share_of_units"]) == pytest.approx(share)
    assert sum(float(row["tier_share_of_units"]) for row in rows) == pytest.approx(1.0)
    assert file_digest(serving) == before, "mf changed the serving database"


def test_average_score_by_province_and_edition(mf, sql):
    rows = mf(
        "--metrics",
        "average_published_score,units_ranked",
        "--group-by",
        "ranking__edition_id,ranking__province_zh",
        "--where",
        "{{ Dimension('ranking__unit_level') }} = 'city'",
    )
    got = {(row["ranking__edition_id"], row["ranking__province_zh"]): row for row in rows}
    expected = sql("""
        select edition_id, province_zh, avg(published_score), count(*) filter (where is_published)
        from reporting.rankings where unit_level = 'city'
        group by edition_id, province_zh
    """)
    assert len(got) == len(expected) > 100
    for edition, province, mean, count in expected:
        row = got[(edition, province)]
        if mean is None:  # CCID prints ranks only
            assert row["average_published_score"] == ""
        else:
            assert float(row["average_published_score"]) == pytest.approx(float(mean))
        assert int(float(row["units_ranked"])) == count


def test_cluster_average_member_score(mf, sql):
    rows = mf(
        "--metrics",
        "cluster_average_member_score",
        "--group-by",
        "cluster__edition_id,cluster__cluster_name_zh",
    )
    got = {(row["cluster__edition_id"], row["cluster__cluster_name_zh"]): row for row in rows}
    expected = sql(
        "select edition_id, cluster_name_zh, published_members_mean_score "
        "from reporting.cluster_scores"
    )
    assert len(got) == len(expected)
    for edition, cluster, mean in expected:
        value = got[(edition, cluster)]["cluster_average_member_score"]
        assert (value == "" and mean is None) or float(value) == pytest.approx(mean)
