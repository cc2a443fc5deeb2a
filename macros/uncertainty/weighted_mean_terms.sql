{#-
    One child's additive parts of its parent's weighted mean, so that a node's children can be
    summed in pieces — its leaf children as list dot products, its non-leaf children a level
    later: in this column order, `total_nominal_weight`, `available_nominal_weight` (for the
    coverage rule), `sum_term` (w·s, or w·ln(max(s, floor)) under a geometric parent: the engine's
    zero-safe floor var('geometric_mean_floor')) and `available_weight` (w if the child has a
    score). The parent sums these over its children.
    Args: weight, nominal_weight, score, is_geometric (SQL expressions over one child row).
-#}
{% macro weighted_mean_terms(weight, nominal_weight, score, is_geometric) -%}
    {{ nominal_weight }} as total_nominal_weight,
    case when {{ score }} is not null then {{ nominal_weight }} end as available_nominal_weight,
    case
        when {{ is_geometric }}
            then {{ weight }} * ln(greatest({{ score }}, {{ var('geometric_mean_floor') }}))
        else {{ weight }} * {{ score }}
    end as sum_term,
    case when {{ score }} is not null then {{ weight }} end as available_weight
{%- endmacro %}

{#-
    A node's score from the parts of its weighted mean: sum_term / available_weight (exp of it for
    a geometric node), null below var('min_coverage') of the children's nominal weight.
    Args: is_geometric, and the four parts as SQL expressions (columns, or sums of them).
-#}
{% macro weighted_mean_from_terms(is_geometric, term, available, available_nominal, total_nominal) -%}
    case
        when {{ available_nominal }} / {{ total_nominal }} >= {{ var('min_coverage') }}
            then case
                when {{ is_geometric }} then exp({{ term }} / {{ available }})
                else {{ term }} / {{ available }}
            end
    end
{%- endmacro %}
