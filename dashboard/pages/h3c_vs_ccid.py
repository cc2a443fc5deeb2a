"""H3C 2022 vs CCID 2022: the two 2022 city indices on the cities both rank (printed ranks only)."""

import altair as alt
import streamlit as st
from serving_data import query

st.title("H3C vs CCID (2022)")
summary = query("select * from reporting.h3c_vs_ccid_summary").iloc[0]
columns = st.columns(4)
columns[0].metric("两榜共有 Cities in both", int(summary.n_cities_in_both))
columns[1].metric("Spearman ρ", f"{summary.spearman_rho:.3f}")
columns[2].metric("Kendall τ", f"{summary.kendall_tau:.3f}")
columns[3].metric("前十重合 Both top 10", int(summary.n_in_both_top_10))
st.caption(
    f"H3C 城市数字化发展指数 ranks {int(summary.n_cities_h3c)} cities; "
    f"CCID 数字城市竞争力 prints its top {int(summary.n_cities_ccid)} (ranks only). "
    "Printed figures only."
)
cities = query("""
    select unit_name_zh, unit_name_en, province_zh, macro_region_en, h3c_rank, ccid_rank,
           h3c_tier_label_zh
    from reporting.h3c_vs_ccid_cities where is_in_both
""")
st.altair_chart(
    alt.Chart(cities)
    .mark_circle(size=60)
    .encode(
        x=alt.X("h3c_rank:Q", title="H3C 2022 rank"),
        y=alt.Y("ccid_rank:Q", title="CCID 2022 rank"),
        color=alt.Color("macro_region_en:N", title="Region"),
        tooltip=["unit_name_zh", "unit_name_en", "h3c_rank", "ccid_rank"],
    )
    .properties(height=420),
    width="stretch",
)
by_area = query("""
    select area_name_zh, area_name_en, n_cities_h3c_top_100, n_cities_ccid_top_100, n_cities_in_both
    from reporting.h3c_vs_ccid_by_area
    where area_type = 'province' and n_cities_in_both + n_cities_h3c_top_100 > 0
    order by n_cities_ccid_top_100 desc, area_name_en
""")
st.subheader("按省 By province (top 100 of each)")
st.altair_chart(
    alt.Chart(
        by_area.melt(
            id_vars=["area_name_zh"],
            value_vars=["n_cities_h3c_top_100", "n_cities_ccid_top_100"],
            var_name="index",
            value_name="cities",
        )
    )
    .mark_bar()
    .encode(
        y=alt.Y("area_name_zh:N", sort="-x", title=None),
        x="cities:Q",
        color="index:N",
        yOffset="index:N",
    ),
    width="stretch",
)
