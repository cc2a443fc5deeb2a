{#-
    The additive parts of a node's weighted mean over (some of) its children, so that a node's
    children can be summed in pieces — its leaf children as list dot products, its non-leaf
    children a level later: `sum_term` (Σ w·s, or Σ w·ln(max(s, floor)) under a geometric
    parent: the engine's zero-safe floor var('geometric_mean_floor')), `available_weight` (Σ w of
    children with a score) and the nominal weights for the coverage rule.
    Args: weight, nominal_weight, score, aggregation (SQL expressions over one child row).
-#}
{% macro weighted_mean_terms(weight, nominal_weight, score, aggregation) -%}
    sum(
        case
            when {{ aggregation }} = 'geometric'
                then {{ weight }} * ln(greatest({{ score }}, {{ var('geometric_mean_floor') }}))
            else {{ weight }} * {{ score }}
        end
    ) as sum_term,
    sum({{ weight }}) filter (where {{ score }} is not null) as available_weight,
    sum({{ nominal_weight }}) filter (where {{ score }} is not null) as available_nominal_weight,
    sum({{ nominal_weight }}) as total_nominal_weight
{%- endmacro %}

{#-
    A node's score from the parts of its weighted mean: sum_term / available_weight (exp of it for
    a geometric node), null below var('min_coverage') of the children's nominal weight.
    Args: aggregation, and the four parts as SQL expressions (columns, or sums of them).
-#}
{% macro weighted_mean_from_terms(aggregation, term, available, available_nominal, total_nominal) -%}
    case
        when {{ available_nominal }} / {{ total_nominal }} >= {{ var('min_coverage') }}
            then case
                when {{ aggregation }} = 'geometric' then exp({{ term }} / {{ available }})
                else {{ term }} / {{ available }}
            end
    end
{%- endmacro %}
