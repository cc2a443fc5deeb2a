{#-
    Percentile-rank score on 0–100: 100 · (rank − 1)/(n − 1), rank = competition rank ("min")
    of direction·x ascending over the non-null values only. One value only is an error.
    Args: competition_rank, n_values (non-null count), label.
-#}
{% macro normalise_percentile(competition_rank, n_values, label) -%}
    case
        when {{ n_values }} < 2
            then error('percentile normalisation of ' || {{ label }} || ': fewer than two values')
        else 100.0 * ({{ competition_rank }} - 1) / ({{ n_values }} - 1)
    end
{%- endmacro %}
