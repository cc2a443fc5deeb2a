"""Digital City Index dashboard (Streamlit): `make dashboard`, http://127.0.0.1:8501.

Reads only the serving database (reporting marts), read-only. Pages live in dashboard/pages/.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

PAGES = Path(__file__).parent / "pages"

st.set_page_config(page_title="数字城市指数 Digital City Index", page_icon="🏙️", layout="wide")

navigation = st.navigation(
    [
        st.Page(PAGES / "rankings.py", title="排名 Rankings", url_path="rankings", default=True),
        st.Page(PAGES / "map.py", title="地图 Map", url_path="map"),
        st.Page(PAGES / "profile.py", title="城市画像 Unit profile", url_path="profile"),
        st.Page(
            PAGES / "transitions.py", title="层级变化 Tier transitions", url_path="transitions"
        ),
        st.Page(PAGES / "clusters.py", title="城市群 Clusters", url_path="clusters"),
        st.Page(PAGES / "h3c_vs_ccid.py", title="H3C vs CCID", url_path="h3c_vs_ccid"),
        st.Page(PAGES / "sources.py", title="来源 Published vs computed", url_path="sources"),
        st.Page(
            PAGES / "uncertainty.py", title="排名不确定性 Rank uncertainty", url_path="uncertainty"
        ),
    ]
)
navigation.run()
