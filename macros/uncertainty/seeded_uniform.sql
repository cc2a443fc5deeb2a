{#-
    A reproducible U[0, 1) number from a seed and a key: the top 53 bits of the MD5 of the text
    'seed|part|part…', divided by 2^53. Not DuckDB's hash(a, b, …): it combines its parts so
    simply that two inputs of the same draw came out correlated at −0.99, and hash() of the text
    still left some inputs' means 4σ off (tests/python/test_uncertainty.py guards both). The same seed and key give the same number on
    every run, thread count and row order (unlike random()); a different seed, different numbers.
    Args: seed (SQL expression), parts (list of SQL expressions naming the draw).
    Example: `{{ seeded_uniform(var('uncertainty_seed'), ['framework_id', 'base_row']) }}`.
-#}
{% macro seeded_uniform(seed, parts) -%}
    ((md5_number_upper(concat_ws('|', {{ seed }}, {{ parts | join(', ') }})) >> 11)::double
    / 9007199254740992.0)
{%- endmacro %}
