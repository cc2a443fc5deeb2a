"""Published vs computed: what every reporting column holds, and the recorded discrepancy
applied."""

import streamlit as st
from serving_data import query, synthetic_banner

st.title("来源 Published vs computed")
synthetic_banner()
kinds = query("""
    select figure_kind, count(*) as columns,
           count(*) filter (where is_synthetic) as synthetic_columns
    from reporting.figure_sources group by figure_kind order by figure_kind
""")
st.table(kinds.set_index("figure_kind"))
kind = st.selectbox("Figure kind", ["computed", "published", "derived_from_published", "label"])
st.dataframe(
    query(
        "select mart_name, column_name, is_synthetic, description from reporting.figure_sources "
        "where figure_kind = ? order by mart_name, column_name",
        kind,
    ),
    hide_index=True,
    width="stretch",
)
st.subheader("兰州 printed twice · 2021 digital-economy scale (亿元)")
st.table(
    query("""
    select name_as_printed, scale_100m_yuan, is_counted, discrepancy_id, discrepancy_resolution,
           source_ref
    from reporting.digital_economy_scale where is_printed_twice order by is_counted desc
""").set_index("name_as_printed")
)
by_tier = query("""
    select tier_label_zh, tier_name_en, n_cities, mean_scale_100m_yuan, mean_scale_all_printed_rows,
           published_mean_scale_100m_yuan
    from reporting.digital_economy_scale_by_tier
    order by tier_code = 'tier_1' desc, tier_code = 'new_tier_1' desc
""")
st.table(
    by_tier.set_index("tier_label_zh").style.format(
        {
            "mean_scale_100m_yuan": "{:.1f}",
            "mean_scale_all_printed_rows": "{:.1f}",
            "published_mean_scale_100m_yuan": "{:.0f}",
        },
        na_rep="—",
    )
)
