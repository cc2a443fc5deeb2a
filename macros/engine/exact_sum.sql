{#-
    A sum of doubles that is the same in every run: each term is cast to DECIMAL(38, 18) — DuckDB
    multiplies by 10^18 (a power of ten a double holds exactly) and rounds, as precise as the
    double itself; at scale 24 the factor is inexact and 0.5 became 0.4999999999999999916 — the
    decimals are added exactly, so the order in which DuckDB's parallel aggregate meets the rows
    does not matter, and the total is cast back to double. A plain sum() of doubles may differ in
    its last bits from run to run; an ordered list per group is exact too but cost three times
    as much (docs/engine.md §7). Terms must stay below 10^20 in magnitude.
    Args: expression (a SQL expression of type double; nulls are skipped, as by sum()).
-#}
{% macro exact_sum(expression) -%}
    cast(sum(cast({{ expression }} as decimal(38, 18))) as double)
{%- endmacro %}
