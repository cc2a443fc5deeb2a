{#-
    One row per city ranked by either 2022 city index: H3C's 城市数字化发展指数 (242 cities, scores
    printed) and CCID's 数字城市竞争力 (top 100, ranks only). Printed figures only — nothing
    here is computed from raw values. Ranks within the overlap feed the rank correlations
    (h3c_vs_ccid_summary).
-#}
{%- set h3c_framework_id = 'h3c_cddi_2022__city' %}
{%- set ccid_framework_id = 'ccid_dcc_2022__city' %}
with

h3c as (
    select * from {{ ref('rankings') }}
    where framework_id = '{{ h3c_framework_id }}' and is_published
),

ccid as (
    select * from {{ ref('rankings') }}
    where framework_id = '{{ ccid_framework_id }}' and is_published
),

cities as (
    select
        h3c.published_rank as h3c_rank,
        h3c.published_score as h3c_score,
        h3c.published_tier_label_zh as h3c_tier_label_zh,
        h3c.published_tier_name_en as h3c_tier_name_en,
        ccid.published_rank as ccid_rank,
        h3c.published_source_ref as h3c_source_ref,
        ccid.published_source_ref as ccid_source_ref,
        coalesce(h3c.unit_id, ccid.unit_id) as unit_id,
        coalesce(h3c.unit_name_zh, ccid.unit_name_zh) as unit_name_zh,
        coalesce(h3c.unit_name_en, ccid.unit_name_en) as unit_name_en,
        coalesce(h3c.province_zh, ccid.province_zh) as province_zh,
        coalesce(h3c.province_en, ccid.province_en) as province_en,
        coalesce(h3c.macro_region_zh, ccid.macro_region_zh) as macro_region_zh,
        coalesce(h3c.macro_region_en, ccid.macro_region_en) as macro_region_en,
        h3c.unit_id is not null as is_in_h3c,
        ccid.unit_id is not null as is_in_ccid,
        h3c.unit_id is not null and ccid.unit_id is not null as is_in_both
    from h3c
    full outer join ccid
        on h3c.unit_id = ccid.unit_id
),

final as (
    select
        *,
        case when is_in_both then rank() over (partition by is_in_both order by h3c_rank) end
            as h3c_rank_in_overlap,
        case when is_in_both then rank() over (partition by is_in_both order by ccid_rank) end
            as ccid_rank_in_overlap,
        h3c_rank - ccid_rank as rank_gap_h3c_minus_ccid
    from cities
)

select * from final
