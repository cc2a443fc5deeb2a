{#-
    Fails on every group whose weights do not sum to 1 within var('weight_tolerance').
    Args: group_by — columns defining a group (e.g. framework_id, parent_code);
          where_clause — optional row filter (e.g. only leaves).
    Complexity O(nodes): one group by over the framework trees.
-#}
{% test weights_sum_to_one(model, column_name, group_by, where_clause=none) %}
    select
        {{ group_by | join(', ') }},
        sum({{ column_name }}) as weight_sum
    from {{ model }}
    {%- if where_clause is not none %}
    where {{ where_clause }}
    {%- endif %}
    group by {{ group_by | join(', ') }}
    having abs(sum({{ column_name }}) - 1) > {{ var('weight_tolerance') }}
{% endtest %}
