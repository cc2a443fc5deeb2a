{#-
    One row per framework × unit level × province and per framework × unit level × macro-region
    (area_type): how many units the report ranks there, their printed mean score, best rank and
    leader, and counts by printed tier; the engine's computed mean beside them (synthetic for the
    shipped sample). Unit level is part of the grain because one framework can rank two levels in
    separate tables (2020: districts and counties), whose ranks must not be mixed.
-#}
{%- set area_types = {'province': 'province', 'macro_region': 'macro_region'} %}
with

rankings as (
    select * from {{ ref('rankings') }}
),

{% for area_type, column in area_types.items() %}
    {{ area_type }}_summaries as (
        select
            framework_id,
            '{{ area_type }}' as area_type,
            {{ column }}_zh as area_name_zh,
            {{ column }}_en as area_name_en,
            any_value(edition_id) as edition_id,
            any_value(data_year) as data_year,
            any_value(index_name_zh) as index_name_zh,
            any_value(index_name_en) as index_name_en,
            unit_level,
            count(*) filter (where is_published) as n_units_published,
            avg(published_score) as published_mean_score,
            min(published_rank) as best_published_rank,
            arg_min(unit_name_zh, published_rank) as leader_name_zh,
            arg_min(unit_name_en, published_rank) as leader_name_en,
            {{ count_by_tier_label('published_tier_label_zh', 'n_published_') }},
            count(*) as computed_n_units,
            avg(computed_score) as computed_mean_score,
            bool_or(computed_is_synthetic) as computed_is_synthetic
        from rankings
        group by framework_id, unit_level, {{ column }}_zh, {{ column }}_en
    ),

{% endfor %}
final as (
    {%- for area_type in area_types %}
        select
            framework_id || ':' || unit_level || ':{{ area_type }}:' || area_name_zh
                as area_summary_id,
            *
        from {{ area_type }}_summaries
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}
)

select * from final
