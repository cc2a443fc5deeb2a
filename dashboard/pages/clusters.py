"""City clusters (城市群): printed 综合加权评分 beside recomputations."""

import altair as alt
import streamlit as st
from serving_data import query, synthetic_banner

st.title("城市群 Clusters")
clusters = query("""
    select edition_id, data_year, cluster_name_zh, cluster_name_en, n_members_evaluated, gdp_year,
           published_weighted_score, published_members_gdp_weighted_score,
           computed_gdp_weighted_score,
           leader_name_zh, leader_name_en, n_members_tier_1, n_members_new_tier_1, n_members_tier_2,
           n_members_tier_3, n_members_tier_4
    from reporting.cluster_scores
    order by data_year desc, published_weighted_score desc nulls last, cluster_name_en
""")
edition = st.radio("版本 Edition", list(dict.fromkeys(clusters.edition_id)), horizontal=True)
shown = clusters[clusters.edition_id == edition]
st.caption(
    "published_weighted_score = 综合加权评分 as printed; published_members_gdp_weighted_score = "
    "recomputed from the printed member scores weighted by GDP (gdp_year); computed_* = from the "
    "engine's scores."
)
printed = shown[shown.published_weighted_score.notna()].melt(
    id_vars=["cluster_name_zh"],
    value_vars=[
        "published_weighted_score",
        "published_members_gdp_weighted_score",
        "computed_gdp_weighted_score",
    ],
    var_name="figure",
    value_name="score",
)
if len(printed):
    # A dot plot on a zoomed axis: the three figures differ by hundredths, which bars from 0 would
    # hide.
    st.altair_chart(
        alt.Chart(printed)
        .mark_point(size=120, filled=True, opacity=0.8)
        .encode(
            x=alt.X("score:Q", scale=alt.Scale(zero=False), title="综合加权评分 weighted score"),
            y=alt.Y("cluster_name_zh:N", title=None),
            color=alt.Color("figure:N", legend=alt.Legend(orient="bottom", title=None)),
            shape="figure:N",
            tooltip=["cluster_name_zh", "figure", alt.Tooltip("score:Q", format=".2f")],
        )
        .properties(height=60 * len(printed.cluster_name_zh.unique())),
        width="stretch",
    )
synthetic_banner()
st.dataframe(shown, hide_index=True, width="stretch")
