{#-
    Union one kind of transcribed seed (docs/data_contract.md) across every seed set in
    var('published_seed_sets'), tagging each row with its edition.
    Args: kind — e.g. 'ranking_rows'. Example: `{{ union_published_seeds('ranking_rows') }}`.
-#}
{% macro union_published_seeds(kind) %}
    {%- for seed_set in var('published_seed_sets') %}
    select
        {{ dbt.string_literal(seed_set['edition_id']) }} as edition_id,
        {{ dbt.string_literal(seed_set['prefix'] ~ kind) }} as seed_name,
        *
    from {{ ref(seed_set['prefix'] ~ kind) }}
    {%- if not loop.last %}
    union all by name
    {%- endif %}
    {%- endfor %}
{% endmacro %}
