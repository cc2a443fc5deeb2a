{#-
    Frameworks whose scores come from the shipped calibrated sample: every unit is synthetic and
    printed in one of the framework's tables. Reconciliation with the reports applies to these
    only — a research team's own values, or a SYNTHETIC scale set of invented units
    (scripts/scale_sample.py), is not calibrated to reproduce any report. O(n) in units.
    Returns a select of `framework_id`. Example: `where framework_id in ({{ calibrated_sample_frameworks() }})`.
-#}
{% macro calibrated_sample_frameworks() -%}
    select index_scores.framework_id
    from {{ ref('fct_index_scores') }} as index_scores
    left join (
        select distinct
            framework_id,
            unit_id
        from {{ ref('fct_published_results') }}
    ) as printed
        on
            index_scores.framework_id = printed.framework_id
            and index_scores.unit_id = printed.unit_id
    group by index_scores.framework_id
    having bool_and(index_scores.is_synthetic and printed.unit_id is not null)
{%- endmacro %}
