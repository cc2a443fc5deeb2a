"""Tier transitions between consecutive city editions: a from × to matrix and the movers."""

import altair as alt
import streamlit as st
from serving_data import TIER_LABELS, query

st.title("层级变化 Tier transitions")
pairs = query("""
    select distinct from_edition_id, to_edition_id, from_data_year, to_data_year, is_index_changed
    from reporting.tier_transitions order by from_data_year desc
""")
labels = [f"{row.from_edition_id} → {row.to_edition_id}" for row in pairs.itertuples()]
pair = pairs.iloc[labels.index(st.radio("版本 Editions", labels, horizontal=True))]
if pair.is_index_changed:
    st.info(
        "The later edition uses a different index (digital economy → digitalisation): "
        "a tier change also reflects the new framework. 两版指数体系不同。"
    )
moves = query(
    """
    select unit_name_zh, unit_name_en, province_zh, published_tier_before_zh,
           published_tier_after_zh, published_direction, published_rank_before,
           published_rank_after, published_ranks_moved_up
    from reporting.tier_transitions
    where from_edition_id = ? and to_edition_id = ?
""",
    pair.from_edition_id,
    pair.to_edition_id,
)
counts = (
    moves.groupby(["published_tier_before_zh", "published_tier_after_zh"])
    .size()
    .reset_index(name="cities")
)
columns = st.columns(3)
for column, direction, label in zip(
    columns,
    ["up", "down", "same"],
    ["升级 Moved up", "降级 Moved down", "不变 Same tier"],
    strict=True,
):
    column.metric(label, int((moves.published_direction == direction).sum()))
matrix = alt.Chart(counts).encode(
    x=alt.X(
        "published_tier_after_zh:N",
        sort=TIER_LABELS,
        title=f"{pair.to_edition_id} tier (published)",
        axis=alt.Axis(labelAngle=0),
    ),
    y=alt.Y(
        "published_tier_before_zh:N",
        sort=TIER_LABELS,
        title=f"{pair.from_edition_id} tier (published)",
    ),
)
st.altair_chart(
    (
        matrix.mark_rect().encode(
            color=alt.Color("cities:Q", scale=alt.Scale(scheme="blues", type="log"))
        )
        + matrix.mark_text(fontSize=14).encode(text="cities:Q")
    ).properties(height=320),
    width="stretch",
)
st.subheader("变化的城市 Cities that changed tier")
st.dataframe(
    moves[moves.published_direction != "same"].sort_values("published_rank_after"),
    hide_index=True,
    width="stretch",
)
