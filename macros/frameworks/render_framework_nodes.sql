{#-
    Render every framework's tree macro (macros/frameworks/<framework_id>.sql, found by
    frameworks_defined()) into one relation: one row per framework × node, as written in the macro.
    Args: none. Example: `select * from ({{ render_framework_nodes() }})`.
-#}
{% macro render_framework_nodes() %}
    {%- set rows = [] -%}
    {%- for framework_id in frameworks_defined() -%}
        {%- for node in framework_tree(framework_id) -%}
            {%- do rows.append((framework_id, loop.index, node)) -%}
        {%- endfor -%}
    {%- endfor %}
    select * from (
        values
        {%- for framework_id, position, node in rows %}
            (
                {{ dbt.string_literal(framework_id) }},
                {{ position }},
                {{ dbt.string_literal(node['node_code']) }},
                {{ 'null' if node['parent_code'] is none else dbt.string_literal(node['parent_code']) }},
                {{ node['level'] }},
                {{ dbt.string_literal(node['name_zh']) }},
                {{ dbt.string_literal(node['name_en']) }},
                {{ '%.12f' | format(node['weight']) }},
                {{ 'null' if node.get('indicator_type') is none else dbt.string_literal(node['indicator_type']) }},
                {{ 'null' if node.get('source_ref') is none else dbt.string_literal(node['source_ref']) }},
                {{ dbt.string_literal(node.get('aggregation', 'arithmetic')) }}
            ){{ ',' if not loop.last }}
        {%- endfor %}
    ) as nodes (
        framework_id,
        node_position,
        node_code,
        parent_code,
        node_level,
        name_zh,
        name_en,
        weight,
        indicator_type,
        source_ref,
        aggregation
    )
{% endmacro %}
