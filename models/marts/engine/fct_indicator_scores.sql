with

normalised as (
    select * from {{ ref('int_indicator_scores_normalised') }}
),

final as (
    select
        framework_id,
        unit_id,
        unit_level,
        node_code,
        raw_value,
        treated_value,
        treatment,
        normalisation,
        score as score_0_100,
        is_missing as is_imputed,
        provenance,
        source_file,
        source_line,
        framework_id || ':' || unit_id || ':' || node_code as indicator_score_id,
        provenance = 'synthetic' as is_synthetic
    from normalised
)

select * from final
