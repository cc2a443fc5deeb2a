"""Rankings per framework, with filters; printed and computed figures in separate columns."""

import streamlit as st
from serving_data import TIER_LABELS, pick_framework, query, synthetic_banner

st.title("排名 Rankings")
synthetic_banner()
framework = pick_framework("rankings_framework")
rows = query(
    """
    select published_rank, unit_name_zh, unit_name_en, province_zh, province_en, macro_region_en,
           published_score, published_tier_label_zh, published_tier_name_en,
           computed_rank, computed_score_rounded, computed_is_synthetic, published_source_ref
    from reporting.rankings
    where framework_id = ?
    order by published_rank nulls last, computed_rank
""",
    framework.framework_id,
)

published = rows[rows.published_rank.notna()]
leader = published.iloc[0] if len(published) else None
columns = st.columns(4)
if leader is not None:
    score = (
        "—"
        if leader.published_score != leader.published_score
        else f"{float(leader.published_score):.1f}"
    )
    columns[0].metric(
        "第一名 Leader (published)",
        f"{leader.unit_name_zh} {leader.unit_name_en}",
        f"score {score}",
        delta_color="off",
    )
columns[1].metric("上榜 Units ranked (published)", len(published))
tier_counts = published.published_tier_label_zh.value_counts()
columns[2].metric("新一线 New tier-1 (published)", int(tier_counts.get("新一线", 0)))
columns[3].metric("一线 Tier-1 (published)", int(tier_counts.get("一线", 0)))

filters = st.columns(3)
provinces = filters[0].multiselect("省份 Province", sorted(rows.province_zh.unique()))
tiers = filters[1].multiselect(
    "层级 Tier", [t for t in TIER_LABELS if t in set(rows.published_tier_label_zh)]
)
only_published = filters[2].checkbox("只看公布排名 Published ranks only", value=True)
shown = rows
if provinces:
    shown = shown[shown.province_zh.isin(provinces)]
if tiers:
    shown = shown[shown.published_tier_label_zh.isin(tiers)]
if only_published:
    shown = shown[shown.published_rank.notna()]
st.caption(
    f"{len(shown)} of {len(rows)} units · published_* = as printed in the report; "
    "computed_* = the engine's figures from raw values (synthetic when flagged)."
)
st.dataframe(
    shown,
    hide_index=True,
    width="stretch",
    column_config={
        "published_rank": st.column_config.NumberColumn("Published rank 公布排名"),
        "published_score": st.column_config.NumberColumn("Published score 公布得分", format="%.1f"),
        "computed_rank": st.column_config.NumberColumn("Computed rank 计算排名 (not printed)"),
        "computed_score_rounded": st.column_config.NumberColumn(
            "Computed score 计算得分", format="%.1f"
        ),
    },
)
