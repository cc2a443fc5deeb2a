{#-
    One row per province and per macro-region (area_type): how many cities each 2022 city index
    ranks there, how many are in H3C's top 100 (CCID prints only its top 100), and how many both
    rank. Printed figures only.
-#}
{%- set area_types = ['province', 'macro_region'] %}
with

cities as (
    select * from {{ ref('h3c_vs_ccid_cities') }}
),

final as (
    {%- for area_type in area_types %}
        select
            '{{ area_type }}:' || {{ area_type }}_zh as area_comparison_id,
            '{{ area_type }}' as area_type,
            {{ area_type }}_zh as area_name_zh,
            {{ area_type }}_en as area_name_en,
            count(*) filter (where is_in_h3c) as n_cities_h3c,
            count(*) filter (where h3c_rank <= 100) as n_cities_h3c_top_100,
            count(*) filter (where is_in_ccid) as n_cities_ccid_top_100,
            count(*) filter (where is_in_both) as n_cities_in_both,
            count(*) filter (where is_in_ccid)
            - count(*) filter (where h3c_rank <= 100) as top_100_difference_ccid_minus_h3c
        from cities
        group by {{ area_type }}_zh, {{ area_type }}_en
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}
)

select * from final
