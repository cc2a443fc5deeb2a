"""Read-only access to the serving database for the dashboard pages.

Every query opens the serving file read-only (the refresh swaps it atomically, so a new
connection sees the newest complete file) and is cached per file version (path + mtime).
"""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "scripts"))
from serving_path import serving_path  # noqa: E402

TIER_LABELS = ["一线", "新一线", "二线", "三线", "四线"]
TIER_LABELS_EN = {
    "一线": "tier 1",
    "新一线": "new tier 1",
    "二线": "tier 2",
    "三线": "tier 3",
    "四线": "tier 4",
}
TIER_COLOURS = ["#b2182b", "#ef8a62", "#d9b300", "#67a9cf", "#2166ac"]


def database() -> Path:
    path = serving_path()
    return path if path.is_absolute() else REPO / path


@st.cache_data(show_spinner=False, max_entries=256)
def _query(path: str, version: int, sql: str, params: tuple) -> pd.DataFrame:
    with duckdb.connect(path, read_only=True) as con:
        return con.execute(sql, list(params)).df()


def query(sql: str, *params) -> pd.DataFrame:
    path = database()
    if not path.exists():
        st.error(f"No serving database at {path}. Run `make run` first. 没有找到服务数据库。")
        st.stop()
    return _query(str(path), path.stat().st_mtime_ns, sql, params)


def synthetic_banner() -> None:
    """Say plainly when the computed figures on a page come from the synthetic sample."""
    flags = query("select bool_or(computed_is_synthetic) as synthetic from reporting.rankings")
    if bool(flags.loc[0, "synthetic"]):
        st.warning(
            "计算值来自合成样本 · Computed figures (columns marked *computed*) come from the "
            "SYNTHETIC sample calibrated to the reports, not from measured data. Published figures "
            "are as printed.",
            icon="⚠️",
        )


def city_frameworks() -> pd.DataFrame:
    return query("""
        select distinct framework_id, edition_id, data_year, publisher_en, index_name_zh,
               index_name_en
        from reporting.rankings
        order by data_year desc, framework_id like 'h3c%' desc, framework_id
    """)


def framework_label(row) -> str:
    unit_scope = row.framework_id.split("__")[1]
    return f"{row.edition_id} · {row.index_name_zh} · {row.index_name_en} ({unit_scope})"


def pick_framework(key: str, default: str = "h3c_cddi_2022__city") -> pd.Series:
    frameworks = city_frameworks()
    labels = [framework_label(row) for row in frameworks.itertuples()]
    ids = list(frameworks.framework_id)
    chosen = st.selectbox(
        "指数 Index", labels, index=ids.index(default) if default in ids else 0, key=key
    )
    return frameworks.iloc[labels.index(chosen)]
