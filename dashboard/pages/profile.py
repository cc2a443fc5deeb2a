"""One unit across editions: printed rank and tier in every edition; computed pillar scores."""

import altair as alt
import streamlit as st
from serving_data import query, synthetic_banner

st.title("城市画像 Unit profile")
units = query("""
    select unit_id, any_value(unit_name_zh) as unit_name_zh,
           any_value(unit_name_en) as unit_name_en,
           any_value(province_zh) as province_zh, min(published_rank) as best_rank
    from reporting.rankings
    where is_published
    group by unit_id
    order by best_rank, unit_name_en
""")
labels = [
    f"{row.unit_name_zh} {row.unit_name_en} ({row.province_zh})" for row in units.itertuples()
]
default = next((i for i, row in enumerate(units.itertuples()) if row.unit_name_zh == "杭州市"), 0)
chosen = units.iloc[labels.index(st.selectbox("城市 Unit", labels, index=default))]

editions = query(
    """
    select framework_id, data_year, index_name_zh, index_name_en, published_rank, published_score,
           published_tier_label_zh, published_tier_name_en, computed_rank, computed_score_rounded,
           publisher_en, published_source_ref
    from reporting.rankings
    where unit_id = ?
    order by data_year, framework_id
""",
    chosen.unit_id,
)
st.subheader(f"{chosen.unit_name_zh} · {chosen.unit_name_en}")
st.dataframe(editions, hide_index=True, width="stretch")
ranked = editions[editions.published_rank.notna()]
st.altair_chart(
    alt.Chart(ranked)
    .mark_line(point=True)
    .encode(
        x=alt.X(
            "framework_id:N",
            sort=None,
            title="Edition 版本 (framework)",
            axis=alt.Axis(labelAngle=0),
        ),
        y=alt.Y("published_rank:Q", scale=alt.Scale(reverse=True), title="Published rank 公布排名"),
        tooltip=["index_name_zh", "index_name_en", "published_rank", "published_score"],
    )
    .properties(height=260),
    width="stretch",
)

st.subheader("支柱得分 Pillar scores (computed)")
synthetic_banner()
pillars = query(
    """
    select data_year, index_name_en, pillar_position, pillar_name_zh, pillar_name_en, pillar_weight,
           computed_pillar_score, computed_pillar_rank, computed_is_synthetic
    from reporting.pillar_scores
    where unit_id = ?
    order by data_year, index_name_en, pillar_position
""",
    chosen.unit_id,
)
st.altair_chart(
    alt.Chart(pillars.assign(pillar=lambda f: f.pillar_name_zh + " " + f.pillar_name_en))
    .mark_bar()
    .encode(
        x=alt.X(
            "computed_pillar_score:Q",
            scale=alt.Scale(domain=[0, 100]),
            title="Computed pillar score",
        ),
        y=alt.Y("pillar:N", sort=None, title=None),
        row=alt.Row("index_name_en:N", title=None),
        tooltip=[
            "pillar_name_zh",
            "pillar_name_en",
            "computed_pillar_score",
            "computed_pillar_rank",
        ],
    ),
)
