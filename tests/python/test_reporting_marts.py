"""The seven everyday questions a BI analyst asked (issue 11), each answered by ONE
`select … from reporting.<mart>` with no join, on the serving database that `make dbt-test` built —
and each answer checked against the report text or against the marts by a different route."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import duckdb
import pytest
from scipy import stats

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
from serving_path import serving_path, warehouse_path  # noqa: E402

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def serving():
    path = serving_path()
    if not path.exists():
        pytest.skip(f"no serving database at {path} (run `make dbt-test` first)")
    with duckdb.connect(str(path), read_only=True) as con:
        yield con


@pytest.fixture(scope="module")
def warehouse():
    with duckdb.connect(str(warehouse_path()), read_only=True) as con:
        yield con


def one_query(con, sql: str) -> list[tuple]:
    assert " join " not in sql.lower(), "each question must be one select without a join"
    return con.execute(sql).fetchall()


def test_q1_top_10_of_2022_with_names_and_provinces(serving, report_lines):
    rows = one_query(
        serving,
        """
        select published_rank, name_as_printed, unit_name_zh, unit_name_en, province_zh,
               published_score, publisher_en, index_name_en
        from reporting.rankings
        where framework_id = 'h3c_cddi_2022__city' and published_rank <= 10
        order by published_rank
    """,
    )
    # The printed table (000_…txt from L487) has three (rank, city, score) columns per line.
    printed = {}
    for line in report_lines["000_540c390cfa5fb4ce.txt"][486:570]:
        for rank, name, score in re.findall(r"(\d+) (\S+) (\d+\.\d)", line):
            printed.setdefault(int(rank), (name, float(score)))
    assert [(row[0], row[1], float(row[5])) for row in rows] == [
        (rank, *printed[rank]) for rank in range(1, 11)
    ]
    assert rows[0][2:5] == ("北京市", "Beijing", "北京市")
    assert {row[4] for row in rows} >= {"浙江省", "广东省", "江苏省"}
    assert all(row[6] == "New H3C Group Digital China Research Institute" for row in rows)


def test_q2_who_changed_tier_2021_to_2022(serving, warehouse):
    rows = one_query(
        serving,
        """
        select unit_name_zh, published_tier_before_zh, published_tier_after_zh, published_direction
        from reporting.tier_transitions
        where from_edition_id = 'h3c_dei_2021' and to_edition_id = 'h3c_cddi_2022'
          and published_direction <> 'same'
    """,
    )
    # The same answer by another route: the printed tiers in the marts of the main warehouse.
    order = {"tier_1": 1, "new_tier_1": 2, "tier_2": 3, "tier_3": 4, "tier_4": 5}
    tiers = warehouse.execute("""
        select before.unit_id, before.published_tier, after.published_tier
        from marts.fct_published_results as before
        inner join marts.fct_published_results as after using (unit_id)
        where before.framework_id = 'h3c_dei_2021__city' and before.ranked_node_code = 'root'
          and after.framework_id = 'h3c_cddi_2022__city' and after.ranked_node_code = 'root'
          and before.published_tier <> after.published_tier
    """).fetchall()
    ups = sum(order[after] < order[before] for _, before, after in tiers)
    assert len(rows) == len(tiers) > 0
    assert sum(row[3] == "up" for row in rows) == ups
    labels = {"一线", "新一线", "二线", "三线", "四线"}
    assert all(row[1] in labels and row[2] in labels and row[1] != row[2] for row in rows)


def test_q3_cluster_scores_beside_the_printed_ones(serving, report_lines):
    rows = one_query(
        serving,
        """
        select cluster_name_zh, cluster_name_en, published_weighted_score,
               published_members_gdp_weighted_score, computed_gdp_weighted_score, leader_name_zh
        from reporting.cluster_scores
        where edition_id = 'h3c_dei_2021' and published_weighted_score is not null
        order by published_weighted_score desc
    """,
    )
    assert [(row[0], row[2]) for row in rows] == [
        ("粤港澳大湾区", 81.2),
        ("京津冀城市群", 74.8),
        ("长三角城市群", 72.8),
        ("成渝城市群", 69.9),
    ]
    report = "\n".join(report_lines["001_7a45aefdcd70bfcb.txt"])
    for name, _, printed, from_printed_scores, *_ in rows:
        assert str(printed) in report
        # README "City clusters": 2021 is reproduced within ±0.05 with 2019 GDP weights.
        assert abs(from_printed_scores - printed) <= 0.05, name
    assert rows[0][5] == "深圳市" and all(row[1] for row in rows)


def test_q4_one_city_across_editions(serving):
    rows = one_query(
        serving,
        """
        select data_year, publisher_en, index_name_en, published_rank, published_score,
               published_tier_label_zh, computed_is_synthetic
        from reporting.rankings
        where unit_name_zh = '杭州市' and unit_level = 'city'
        order by data_year, framework_id
    """,
    )
    assert [(row[0], row[3]) for row in rows] == [(2019, 5), (2020, 5), (2021, 6), (2021, 3)]
    assert rows[2][1].startswith("CCID") and rows[2][4] is None  # CCID prints ranks only
    assert float(rows[3][4]) == 91.9 and rows[3][5] == "一线"


def test_q5_averages_by_province(serving, warehouse):
    rows = dict(
        (row[0], row[1:])
        for row in one_query(
            serving,
            """
        select area_name_zh, published_mean_score, n_units_published, leader_name_zh
        from reporting.area_summaries
        where framework_id = 'h3c_cddi_2022__city' and area_type = 'province'
    """,
        )
    )
    expected = warehouse.execute("""
        select geo.province_zh, avg(results.published_score), count(*)
        from marts.fct_published_results as results
        inner join marts.dim_geo_units as geo using (unit_id)
        where results.framework_id = 'h3c_cddi_2022__city' and results.ranked_node_code = 'root'
        group by geo.province_zh
    """).fetchall()
    assert len(rows) == len(expected) >= 30
    for province, mean, count in expected:
        assert rows[province][0] == pytest.approx(float(mean)) and rows[province][1] == count
    assert rows["浙江省"][2] == "杭州市"
    regions = one_query(
        serving,
        """
        select sum(n_units_published) from reporting.area_summaries
        where framework_id = 'h3c_cddi_2022__city' and area_type = 'macro_region'
    """,
    )
    assert regions == [(242,)]


def test_q6_h3c_vs_ccid_rank_correlations(serving, warehouse):
    (summary,) = one_query(
        serving,
        """
        select n_cities_h3c, n_cities_ccid, n_cities_in_both, spearman_rho, kendall_tau
        from reporting.h3c_vs_ccid_summary
    """,
    )
    pairs = warehouse.execute("""
        select h3c.published_rank, ccid.published_rank
        from marts.fct_published_results as h3c
        inner join marts.fct_published_results as ccid using (unit_id)
        where h3c.table_id = 'h3c_cddi_2022__city_ranking'
            and ccid.table_id = 'ccid_dcc_2022__overall_top100'
    """).fetchall()
    h3c, ccid = zip(*pairs, strict=True)
    assert summary[:3] == (242, 100, len(pairs))
    assert summary[3] == pytest.approx(stats.spearmanr(h3c, ccid).statistic, abs=1e-9)
    assert summary[4] == pytest.approx(stats.kendalltau(h3c, ccid).statistic, abs=1e-9)
    by_area = one_query(
        serving,
        """
        select sum(n_cities_ccid_top_100), sum(n_cities_in_both)
        from reporting.h3c_vs_ccid_by_area where area_type = 'province'
    """,
    )
    assert by_area == [(100, len(pairs))]


def test_q7_what_is_synthetic(serving):
    synthetic = one_query(
        serving,
        """
        select mart_name, column_name from reporting.figure_sources where is_synthetic
    """,
    )
    assert ("rankings", "computed_rank") in synthetic
    assert all(column.startswith("computed_") for _, column in synthetic)
    assert not any(column.startswith(("published_", "h3c_", "ccid_")) for _, column in synthetic)
    # Every column of every reporting table is documented, so none escapes the classification.
    documented = set(
        one_query(serving, "select mart_name, column_name from reporting.figure_sources")
    )
    actual = set(
        serving.execute("""
        select table_name, column_name from duckdb_columns() where schema_name = 'reporting'
    """).fetchall()
    )
    assert actual == documented
    # A CCID rank beyond the printed top 100 exists only as a computed, synthetic rank.
    (invented,) = one_query(
        serving,
        """
        select count(*) filter (where published_rank is not null), count(*),
               bool_and(computed_is_synthetic)
        from reporting.rankings where framework_id = 'ccid_dcc_2022__city' and computed_rank > 100
    """,
    )
    assert invented[0] == 0 and invented[1] > 0 and invented[2] is True


def test_lanzhou_printed_twice_is_applied_traceably(serving):
    rows = one_query(
        serving,
        """
        select scale_100m_yuan, is_counted, discrepancy_id, source_ref
        from reporting.digital_economy_scale where name_as_printed = '兰州' order by scale_100m_yuan
    """,
    )
    assert [(float(row[0]), row[1], row[2]) for row in rows] == [
        (662.0, False, "h3c_dei_2021_d03"),
        (1256.0, True, "h3c_dei_2021_d03"),
    ]
    assert rows[0][3].startswith("001_7a45aefdcd70bfcb.txt:L319") and "L313" in rows[1][3]
    (tier,) = one_query(
        serving,
        """
        select mean_scale_100m_yuan, mean_scale_all_printed_rows, published_mean_scale_100m_yuan,
               n_cities
        from reporting.digital_economy_scale_by_tier where tier_code = 'new_tier_1'
    """,
    )
    assert round(tier[0]) == tier[2] == 3718
    assert round(tier[1]) == 3654  # the table as printed, 兰州 counted twice


def test_every_reporting_table_and_column_carries_its_description(serving):
    undocumented = serving.execute("""
        select table_name from duckdb_tables()
        where schema_name = 'reporting' and coalesce(comment, '') = ''
        union all
        select table_name || '.' || column_name from duckdb_columns()
        where schema_name = 'reporting' and coalesce(comment, '') = ''
    """).fetchall()
    assert undocumented == []


def test_area_summaries_keep_the_levels_of_one_framework_apart(serving, warehouse):
    """2020 ranks districts and counties in two tables of one framework: a province holding both
    gets one row per level, each with the leader and best rank of its own table (a mixed row would
    take an arbitrary level and the best rank across both tables)."""
    rows = one_query(
        serving,
        """
        select unit_level, n_units_published, best_published_rank, leader_name_zh
        from reporting.area_summaries
        where framework_id = 'h3c_dei_2020__county' and area_type = 'province'
            and area_name_zh = '江苏省'
        order by unit_level
    """,
    )
    expected = warehouse.execute("""
        select results.unit_level, count(*), min(results.published_rank),
            arg_min(geo.name_zh, results.published_rank)
        from marts.fct_published_results as results
        inner join marts.dim_geo_units as geo using (unit_id)
        where results.framework_id = 'h3c_dei_2020__county' and results.ranked_node_code = 'root'
            and geo.province_zh = '江苏省'
        group by results.unit_level
        order by results.unit_level
    """).fetchall()
    assert [row[0] for row in rows] == ["county", "district"]
    assert [tuple(row) for row in rows] == [tuple(row) for row in expected]
