"""How sure is a rank? Rank intervals over the method choices, and units whose tier is uncertain.

Reads reporting.rank_intervals, which exists only once the uncertainty analysis is built
(`make uncertainty`); without it the page says so instead of failing.
"""

import altair as alt
import streamlit as st
from serving_data import query, synthetic_banner

st.title("排名不确定性 Rank uncertainty")
built = query("""
    select count(*) as n from information_schema.tables
    where table_schema = 'reporting' and table_name = 'rank_intervals'
""")
if int(built.loc[0, "n"]) == 0:
    st.info(
        "The uncertainty analysis is not built in this warehouse: run `make uncertainty` "
        '(README "How sure is a rank?"). 尚未计算不确定性分析。'
    )
    st.stop()
synthetic_banner()
frameworks = query("""
    select distinct framework_id, edition_id, index_name_zh, index_name_en, data_year
    from reporting.rank_intervals order by data_year desc, framework_id
""")
labels = [
    f"{row.edition_id} · {row.index_name_zh} · {row.index_name_en} ({row.framework_id})"
    for row in frameworks.itertuples()
]
default = "h3c_cddi_2022__city"
ids = list(frameworks.framework_id)
chosen = st.selectbox(
    "指数 Index", labels, index=ids.index(default) if default in ids else 0, key="uncertainty"
)
framework_id = ids[labels.index(chosen)]
units = query(
    """
    select unit_name_zh || ' ' || unit_name_en as unit, unit_level, computed_rank, rank_median,
           rank_p05, rank_p95, computed_tier_name_zh, computed_tier_probability,
           is_tier_uncertain, n_draws
    from reporting.rank_intervals
    where framework_id = ?
    order by unit_level, computed_rank
""",
    framework_id,
)
uncertain = units[units.is_tier_uncertain]
columns = st.columns(3)
columns[0].metric("排名单位 Units ranked", len(units))
columns[1].metric("层级不确定 Tier uncertain (P < 0.8)", len(uncertain))
columns[2].metric("抽样次数 Draws", int(units.n_draws.max()))
st.caption(
    "Each unit's rank is recomputed under many draws of the method choices (weights, "
    "aggregation, normalisation, imputation). The bar spans the 5th–95th percentile of its "
    "rank, the dot is its computed rank, the tick the median."
)
top = units.nsmallest(30, "computed_rank")
order = list(top.unit)
base = alt.Chart(top).encode(
    y=alt.Y("unit:N", sort=order, title=None, axis=alt.Axis(labelOverlap=False))
)
st.altair_chart(
    (
        base.mark_rule(strokeWidth=3, opacity=0.5).encode(
            x=alt.X("rank_p05:Q", title="rank (5th–95th percentile over the draws)"),
            x2="rank_p95:Q",
        )
        + base.mark_tick(color="black").encode(x="rank_median:Q")
        + base.mark_circle(size=60).encode(
            x="computed_rank:Q",
            color=alt.Color("computed_tier_name_zh:N", title="Tier"),
            tooltip=["unit", "computed_rank", "rank_median", "rank_p05", "rank_p95"],
        )
    ).properties(height=22 * len(top)),
    width="stretch",
)
st.subheader("层级不确定的单位 Units whose tier is uncertain")
st.markdown(
    "\n".join(
        f"- {row.unit}: rank {row.computed_rank} "
        f"(90 % interval {row.rank_p05:g}–{row.rank_p95:g}), "
        f"P({row.computed_tier_name_zh}) = {row.computed_tier_probability:.2f}"
        for row in uncertain.head(5).itertuples()
    )
    or "None: every unit stays in its tier in at least 80 % of the draws."
)
st.dataframe(
    uncertain[
        [
            "unit",
            "computed_rank",
            "rank_p05",
            "rank_p95",
            "computed_tier_name_zh",
            "computed_tier_probability",
        ]
    ],  # fmt: skip
    hide_index=True,
    width="stretch",
)
