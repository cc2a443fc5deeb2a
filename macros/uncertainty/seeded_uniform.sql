{#-
    A reproducible U[0, 1) number from a seed and a key: the top 53 bits of DuckDB's 64-bit
    hash of (seed, key parts…), divided by 2^53. The same seed and key give the same number on
    every run, thread count and row order (unlike random()); a different seed, different numbers.
    Args: seed (SQL expression), parts (list of SQL expressions naming the draw).
    Example: `{{ seeded_uniform(var('uncertainty_seed'), ['framework_id', 'base_row']) }}`.
-#}
{% macro seeded_uniform(seed, parts) -%}
    ((hash({{ seed }}, {{ parts | join(', ') }}) >> 11)::double / 9007199254740992.0)
{%- endmacro %}
