{#-
    Round half up (64.95 → 65.0), as the reports print scores. A tolerance of 1e-9 absorbs binary
    floating-point error so a decimal tie like 64.95 (stored as 64.9499999…) rounds up.
    Args: value, digits (default 1). Example: `{{ round_half_up('score', 1) }}`.
-#}
{% macro round_half_up(value, digits=1) -%}
    floor({{ value }} * {{ 10 ** digits }} + 0.5 + 1e-9) / {{ 10 ** digits }}
{%- endmacro %}
