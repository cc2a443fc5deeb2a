{#-
    z-score rescaled to 0–100: 50 + 10·z, z = d·(x − mean)/sd with the sample sd (n − 1),
    clipped to [0, 100]. sd = 0 (or a single value) is an error.
    Args: value, sample_mean, sample_sd, direction, label.
-#}
{% macro normalise_zscore(value, sample_mean, sample_sd, direction, label) -%}
    case
        when coalesce({{ sample_sd }}, 0) = 0
            then error('z-score normalisation of ' || {{ label }} || ': zero standard deviation')
        else greatest(0.0, least(100.0,
            50.0 + 10.0 * {{ direction }} * ({{ value }} - {{ sample_mean }}) / {{ sample_sd }}
        ))
    end
{%- endmacro %}
