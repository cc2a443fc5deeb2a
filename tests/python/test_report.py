"""`make report`: one self-contained HTML file with the main figures, built from the serving
database that `make dbt-test` built, checked against the marts."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
from serving_path import serving_path  # noqa: E402

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> str:
    serving = serving_path()
    if not serving.exists():
        pytest.skip(f"no serving database at {serving} (run `make dbt-test` first)")
    out = tmp_path_factory.mktemp("report") / "index.html"
    result = subprocess.run(
        [sys.executable, "scripts/build_report.py", "--serving", str(serving), "--out", str(out)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    return out.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def marts():
    with duckdb.connect(str(serving_path()), read_only=True) as con:
        yield con


def test_the_report_needs_nothing_outside_the_file(report):
    assert not re.search(r"<script|<link|<img|<iframe|url\(|src=", report, re.IGNORECASE)
    assert set(re.findall(r"https?://[^\"' ]+", report)) <= {"http://www.w3.org/2000/svg"}


def test_the_report_shows_the_marts_main_figures(report, marts):
    name, name_en, score = marts.execute("""
        select unit_name_zh, unit_name_en, published_score from reporting.rankings
        where framework_id = 'h3c_cddi_2022__city' and published_rank = 1""").fetchone()
    assert f"{name} {name_en} {float(score):.1f}" in report
    (new_tier_1,) = marts.execute("""
        select published_n_units from reporting.tier_summaries
        where framework_id = 'h3c_cddi_2022__city' and tier_code = 'new_tier_1'""").fetchone()
    assert re.search(rf"新一线[^<]*\(published\)<b>{new_tier_1}</b>", report)
    rho, tau = marts.execute(
        "select spearman_rho, kendall_tau from reporting.h3c_vs_ccid_summary"
    ).fetchone()
    assert f"{rho:.3f}" in report and f"{tau:.3f}" in report
    (applied,) = marts.execute(
        "select mean_scale_100m_yuan from reporting.digital_economy_scale_by_tier "
        "where tier_code = 'new_tier_1'"
    ).fetchone()
    assert f"{applied:.1f}" in report and "h3c_dei_2021_d03" in report
    assert "SYNTHETIC" in report


def test_the_map_draws_every_province_and_every_plotted_city(report, marts):
    (plotted,) = marts.execute("""
        select count(*) from reporting.rankings
        where framework_id = 'h3c_cddi_2022__city' and is_published
            and longitude is not null""").fetchone()
    assert report.count('class="province"') == 34
    assert report.count('class="unit"') == plotted == 242
