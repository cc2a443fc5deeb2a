{#-
    Join condition placing an unrounded score in its tier: min inclusive, max exclusive, so a
    score equal to a threshold belongs to the higher tier (65.0 → 新一线), as the published lists
    show. Open bounds are null.
    Args: score, tier_rules relation alias. Example: `on {{ tier_for_score('scores.score', 'tiers') }}`.
-#}
{% macro tier_for_score(score, tier_rules) -%}
    ({{ score }} >= {{ tier_rules }}.min_score_inclusive or {{ tier_rules }}.min_score_inclusive is null)
    and ({{ score }} < {{ tier_rules }}.max_score_exclusive or {{ tier_rules }}.max_score_exclusive is null)
{%- endmacro %}
