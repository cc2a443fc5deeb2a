{#-
    Facts about the set of frameworks, derived from their tree macros (macros/frameworks/
    <framework_id>.sql, each defining `framework_<framework_id>()`), never restated as constants:
    which frameworks exist, the deepest tree, the most pillars. A framework id always contains
    `__` (edition__unit type), which keeps helper macros like these out of the list.
-#}

{#- Every framework id with a tree macro, sorted. Example: `{% for id in frameworks_defined() %}`. -#}
{% macro frameworks_defined() %}
    {%- set framework_ids = [] -%}
    {%- for name in context.keys() -%}
        {%- if name.startswith('framework_') and '__' in name -%}
            {%- do framework_ids.append(name[('framework_' | length):]) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(framework_ids | sort) }}
{% endmacro %}

{#- The nodes of one framework's tree, as its macro writes them. Example: `framework_tree('h3c_dei_2021__city')`. -#}
{% macro framework_tree(framework_id) %}
    {%- set tree_macro = context.get('framework_' ~ framework_id) -%}
    {%- if tree_macro is none -%}
        {{ exceptions.raise_compiler_error(
            "framework '" ~ framework_id ~ "' has no tree: expected macro framework_" ~ framework_id
            ~ "() in macros/frameworks/" ~ framework_id ~ ".sql (make new-framework FROM=<id> TO="
            ~ framework_id ~ " writes one)"
        ) }}
    {%- endif -%}
    {{ return(tree_macro()) }}
{% endmacro %}

{#- The deepest level of any framework's tree (root = 0): how many levels the roll-up unrolls. -#}
{% macro frameworks_tree_depth() %}
    {%- set depths = [0] -%}
    {%- for framework_id in frameworks_defined() -%}
        {%- for node in framework_tree(framework_id) -%}
            {%- do depths.append(node['level'] | int) -%}
        {%- endfor -%}
    {%- endfor -%}
    {{ return(depths | max) }}
{% endmacro %}

{#- The most pillars (level-1 nodes) of any framework: how many p<n>_score columns the wide marts carry. -#}
{% macro frameworks_max_pillars() %}
    {%- set counts = [0] -%}
    {%- for framework_id in frameworks_defined() -%}
        {%- do counts.append(framework_tree(framework_id) | selectattr('level', 'equalto', 1) | list | length) -%}
    {%- endfor -%}
    {{ return(counts | max) }}
{% endmacro %}
