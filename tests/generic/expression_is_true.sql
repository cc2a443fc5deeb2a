{#-
    Fails on every row where `expression` is not true (a small stand-in for dbt_utils'
    expression_is_true, which cannot be installed here). Nulls count as failures.
    Args: expression — a boolean SQL expression over the model's columns;
          where — optional filter applied first.
    Complexity O(n): one filter over the model.
-#}
{% test expression_is_true(model, expression, where_clause=none) %}
    select *
    from {{ model }}
    where
        {%- if where_clause is not none %} ({{ where_clause }}) and {% endif %}
        not coalesce(({{ expression }}), false)
{% endtest %}
