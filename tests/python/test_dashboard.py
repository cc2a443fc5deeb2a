"""The dashboard as a person sees it: Streamlit started on the serving database that `make dbt-test`
built, every page loaded in headless Chromium (dashboard/browser_check.mjs), no exception, console
error or off-machine request anywhere, and the key numbers on the page equal to the marts'."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import duckdb
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
from serving_path import serving_path  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
STREAMLIT = REPO / ".venv-dashboard" / "bin" / "streamlit"
SCREENSHOTS = REPO / "target" / "dashboard"
PAGES = [
    "rankings", "map", "profile", "transitions", "clusters", "h3c_vs_ccid", "sources", "uncertainty"
]  # fmt: skip


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def serving() -> Path:
    path = serving_path().resolve()
    if not path.exists():
        pytest.skip(f"no serving database at {path} (run `make dbt-test` first)")
    for needed in (STREAMLIT, REPO / "dashboard" / "node_modules" / "playwright-core"):
        if not needed.exists():
            pytest.fail(f"{needed} missing: run `make setup-browser`")
    return path


@pytest.fixture(scope="module")
def pages(serving) -> dict:
    port = free_port()
    env = dict(os.environ, DCI_SERVING_PATH=str(serving))
    server = subprocess.Popen(
        [
            str(STREAMLIT),
            "run",
            "dashboard/app.py",
            "--server.address",
            "127.0.0.1",
            "--server.port",
            str(port),
            "--server.headless",
            "true",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 90
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                    if response.read() == b"ok":
                        break
            except OSError:
                pass
            assert server.poll() is None, server.stdout.read()
            assert time.monotonic() < deadline, "dashboard did not start within 90 s"
            time.sleep(0.5)
        result = subprocess.run(
            ["node", "dashboard/browser_check.mjs", url, str(SCREENSHOTS), *PAGES],
            cwd=REPO,
            capture_output=True,
            text=True,
            check=False,
            timeout=400,
        )
        assert result.returncode == 0, result.stderr[-3000:]
        return json.loads(result.stdout)
    finally:
        server.terminate()
        server.wait(timeout=30)


@pytest.fixture(scope="module")
def marts(serving):
    with duckdb.connect(str(serving), read_only=True) as con:
        yield con


def test_every_page_loads_without_an_error(pages):
    assert list(pages) == PAGES
    for name, page in pages.items():
        assert page["errors"] == [], name
        assert Path(page["screenshot"]).stat().st_size > 20_000, f"{name}: screenshot looks empty"
    assert [pages[name]["title"] for name in PAGES] == [
        "排名 Rankings",
        "地图 Map",
        "城市画像 Unit profile",
        "层级变化 Tier transitions",
        "城市群 Clusters",
        "H3C vs CCID (2022)",
        "来源 Published vs computed",
        "排名不确定性 Rank uncertainty",
    ]
    for name in ("map", "profile", "transitions", "clusters", "h3c_vs_ccid", "uncertainty"):
        assert pages[name]["charts"] >= 1, f"{name}: no chart drawn"


def test_rankings_page_shows_the_2022_leader_and_tier_counts(pages, marts):
    leader, score = marts.execute("""
        select unit_name_zh || ' ' || unit_name_en, published_score from reporting.rankings
        where framework_id = 'h3c_cddi_2022__city' and published_rank = 1""").fetchone()
    (new_tier_1,) = marts.execute("""
        select count(*) from reporting.rankings
        where framework_id = 'h3c_cddi_2022__city'
            and published_tier_label_zh = '新一线'""").fetchone()
    text = pages["rankings"]["text"]
    assert leader in text and f"score {float(score):.1f}" in text
    assert f"新一线 New tier-1 (published)\n\n{new_tier_1}\n" in text
    assert "SYNTHETIC" in text  # the computed columns are labelled


def test_map_plots_every_ranked_city_by_tier(pages, marts):
    counts = dict(
        marts.execute("""
        select published_tier_label_zh, count(*) from reporting.rankings
        where framework_id = 'h3c_cddi_2022__city' and longitude is not null
        group by all""").fetchall()
    )
    text = pages["map"]["text"]
    assert f"{sum(counts.values())} units plotted" in text
    for label, count in counts.items():
        assert f"{label} {count}" in text


def test_profile_transitions_clusters_comparison_and_sources_show_the_marts_numbers(pages, marts):
    assert "杭州市 · Hangzhou" in pages["profile"]["text"]
    (ups,) = marts.execute("""
        select count(*) from reporting.tier_transitions
        where from_edition_id = 'h3c_dei_2021' and published_direction = 'up'""").fetchone()
    assert f"升级 Moved up\n\n{ups}\n" in pages["transitions"]["text"]
    assert "粤港澳大湾区" in pages["clusters"]["text"]
    rho, tau = marts.execute(
        "select spearman_rho, kendall_tau from reporting.h3c_vs_ccid_summary"
    ).fetchone()
    assert (
        f"{rho:.3f}" in pages["h3c_vs_ccid"]["text"]
        and f"{tau:.3f}" in pages["h3c_vs_ccid"]["text"]
    )
    (applied,) = marts.execute("""
        select mean_scale_100m_yuan from reporting.digital_economy_scale_by_tier
        where tier_code = 'new_tier_1'
    """).fetchone()
    assert (
        "h3c_dei_2021_d03" in pages["sources"]["text"]
        and f"{applied:.1f}" in pages["sources"]["text"]
    )


def test_uncertainty_page_shows_rank_intervals_and_uncertain_tiers(pages, marts):
    """make test builds the analysis (200 draws): the page counts the units whose tier is
    uncertain as the mart does, and lists the first one with its interval."""
    (n_uncertain,) = marts.execute("""
        select count(*) from reporting.rank_intervals
        where framework_id = 'h3c_cddi_2022__city' and is_tier_uncertain""").fetchone()
    first = marts.execute("""
        select unit_name_zh, rank_p05, rank_p95 from reporting.rank_intervals
        where framework_id = 'h3c_cddi_2022__city' and is_tier_uncertain
        order by computed_rank limit 1""").fetchone()
    text = pages["uncertainty"]["text"]
    assert f"层级不确定 Tier uncertain (P < 0.8)\n\n{n_uncertain}\n" in text
    assert n_uncertain > 0 and first[0] in text
    assert "SYNTHETIC" in text
