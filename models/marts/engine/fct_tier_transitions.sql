{#-
    Tier and rank of each city in consecutive city editions (var('city_framework_sequence')).
    The 2022 edition replaced the digital-economy framework with the digitalisation framework:
    its transitions compare different indices, flagged by is_framework_changed.
-#}
{%- set sequence = var('city_framework_sequence') %}
with

index_scores as (
    select * from {{ ref('int_index_scores_tiered') }}
),

edition_pairs (from_framework_id, to_framework_id, is_framework_changed) as (
    values
    {%- for position in range(sequence | length - 1) %}
        (
            '{{ sequence[position] }}',
            '{{ sequence[position + 1] }}',
            {{ 'true' if sequence[position].split('__')[0].rsplit('_', 1)[0]
                != sequence[position + 1].split('__')[0].rsplit('_', 1)[0] else 'false' }}
        ){{ ',' if not loop.last }}
    {%- endfor %}
),

transitions as (
    select
        earlier.unit_id,
        edition_pairs.from_framework_id,
        edition_pairs.to_framework_id,
        edition_pairs.is_framework_changed,
        earlier.tier_code as tier_before,
        later.tier_code as tier_after,
        earlier.composite_rank as rank_before,
        later.composite_rank as rank_after,
        earlier.composite_score as score_before,
        later.composite_score as score_after,
        earlier.published_tier as published_tier_before,
        later.published_tier as published_tier_after,
        edition_pairs.from_framework_id
        || '>'
        || edition_pairs.to_framework_id
        || ':'
        || earlier.unit_id
            as tier_transition_id,
        earlier.tier_order - later.tier_order as tiers_moved_up,
        earlier.composite_rank - later.composite_rank as ranks_moved_up,
        earlier.is_synthetic or later.is_synthetic as is_synthetic
    from edition_pairs
    inner join index_scores as earlier
        on edition_pairs.from_framework_id = earlier.framework_id
    inner join index_scores as later
        on
            edition_pairs.to_framework_id = later.framework_id
            and earlier.unit_id = later.unit_id
)

select * from transitions
