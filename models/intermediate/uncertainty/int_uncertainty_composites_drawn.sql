{#-
    One row per framework × draw × unit: the composite score and rank in that draw — the whole
    index recomputed for every draw at once, the draw a column (no per-draw dbt run). Leaves take
    the draw's normalisation variant and imputation rule (int_uncertainty_leaf_lists), every node
    its drawn weight and its parent's drawn aggregation (int_uncertainty_weights_drawn); the tree
    is rolled up one level at a time as in int_node_scores_rolled_up (coverage rule on nominal
    weights, zero-safe geometric floor). A node whose children are all leaves is one dot product
    per draw × unit; only nodes with non-leaf children need a GROUP BY, on integer keys (strings
    would triple the time). Ranks follow the engine (docs/engine.md §5: 1e-9 ties, then unit_id).
-#}
{%- set max_depth = frameworks_tree_depth() %}
with

choices as (
    select * from {{ ref('int_uncertainty_draw_choices') }}
),

weights as (
    select * from {{ ref('int_uncertainty_weights_drawn') }}
),

leaf_lists as (
    select * from {{ ref('int_uncertainty_leaf_lists') }}
),

nodes as (
    select * from {{ ref('int_framework_nodes_weighted') }}
),

parents_of_nonleaf_nodes as (
    select distinct
        framework_id,
        parent_code
    from nodes
    where not is_leaf and parent_code is not null
),

-- Integer keys, unique across frameworks.
node_keys as (
    select
        nodes.framework_id,
        nodes.node_code,
        nodes.node_level,
        dense_rank() over (order by nodes.framework_id, nodes.node_code) as node_key,
        parents_of_nonleaf_nodes.parent_code is not null as has_nonleaf_children
    from nodes
    left join parents_of_nonleaf_nodes
        on
            nodes.framework_id = parents_of_nonleaf_nodes.framework_id
            and nodes.node_code = parents_of_nonleaf_nodes.parent_code
),

unit_keys as (
    select
        framework_id,
        unit_id,
        unit_level,
        dense_rank() over (order by framework_id, unit_id) as unit_key
    from (
        select distinct
            framework_id,
            unit_id,
            unit_level
        from leaf_lists
    ) as units
),

weights_keyed as (
    select
        weights.draw_id,
        node_keys.node_key,
        parent_keys.node_key as parent_key,
        weights.weight,
        weights.nominal_weight,
        weights.parent_aggregation
    from weights
    inner join node_keys
        on weights.framework_id = node_keys.framework_id and weights.node_code = node_keys.node_code
    inner join node_keys as parent_keys
        on
            weights.framework_id = parent_keys.framework_id
            and weights.parent_code = parent_keys.node_code
),

-- Each draw's weights of the leaves under one parent, in the order of int_uncertainty_leaf_lists.
leaf_weight_lists as (
    select
        weights.framework_id,
        weights.draw_id,
        weights.parent_code,
        parent_keys.node_key as parent_key,
        parent_keys.node_level as parent_level,
        parent_keys.has_nonleaf_children,
        weights.parent_aggregation,
        list(weights.weight order by weights.node_code) as weights
    from weights
    inner join node_keys as parent_keys
        on
            weights.framework_id = parent_keys.framework_id
            and weights.parent_code = parent_keys.node_code
    where weights.is_leaf
    group by
        weights.framework_id,
        weights.draw_id,
        weights.parent_code,
        parent_keys.node_key,
        parent_keys.node_level,
        parent_keys.has_nonleaf_children,
        weights.parent_aggregation
),

-- One integer per list of leaf scores the draws can pick (variant × imputation × leaf parent).
list_keys as (
    select
        framework_id,
        normalisation_variant,
        imputation,
        parent_code,
        dense_rank() over (
            order by framework_id, normalisation_variant, imputation, parent_code
        ) as list_key
    from (
        select distinct
            framework_id,
            normalisation_variant,
            imputation,
            parent_code
        from leaf_lists
    ) as leaf_parents
),

leaf_lists_keyed as (
    select
        list_keys.list_key,
        unit_keys.unit_key,
        leaf_lists.scores,
        leaf_lists.log_scores,
        leaf_lists.available,
        leaf_lists.available_nominal_weight,
        leaf_lists.total_nominal_weight
    from leaf_lists
    inner join unit_keys
        on
            leaf_lists.framework_id = unit_keys.framework_id
            and leaf_lists.unit_id = unit_keys.unit_id
    inner join list_keys
        on
            leaf_lists.framework_id = list_keys.framework_id
            and leaf_lists.normalisation_variant = list_keys.normalisation_variant
            and leaf_lists.imputation = list_keys.imputation
            and leaf_lists.parent_code = list_keys.parent_code
),

-- Each draw × leaf parent: the list of scores it picks and its weight list.
draw_lists as (
    select
        choices.draw_id,
        list_keys.list_key,
        leaf_weight_lists.parent_key,
        leaf_weight_lists.parent_level,
        leaf_weight_lists.has_nonleaf_children,
        leaf_weight_lists.parent_aggregation,
        leaf_weight_lists.weights
    from choices
    inner join leaf_weight_lists
        on
            choices.framework_id = leaf_weight_lists.framework_id
            and choices.draw_id = leaf_weight_lists.draw_id
    inner join list_keys
        on
            choices.framework_id = list_keys.framework_id
            and choices.normalisation_variant = list_keys.normalisation_variant
            and choices.imputation = list_keys.imputation
            and leaf_weight_lists.parent_code = list_keys.parent_code
),

-- The big step, every draw × unit × leaf parent: one dot product per row, not one row per leaf.
leaf_parts as materialized (
    select
        draw_lists.draw_id,
        leaf_lists_keyed.unit_key,
        draw_lists.parent_key as node_key,
        draw_lists.parent_level as node_level,
        draw_lists.has_nonleaf_children,
        draw_lists.parent_aggregation as aggregation,
        leaf_lists_keyed.available_nominal_weight,
        leaf_lists_keyed.total_nominal_weight,
        case
            when draw_lists.parent_aggregation = 'geometric'
                then list_dot_product(draw_lists.weights, leaf_lists_keyed.log_scores)
            else list_dot_product(draw_lists.weights, leaf_lists_keyed.scores)
        end as sum_term,
        list_dot_product(draw_lists.weights, leaf_lists_keyed.available) as available_weight
    from draw_lists
    inner join leaf_lists_keyed
        on draw_lists.list_key = leaf_lists_keyed.list_key
),
{%- for depth in range(max_depth - 1, -1, -1) %}

-- Depth {{ depth }}: nodes with only leaf children straight from their dot products; the others
-- summed over their leaf parts and their non-leaf children's terms.
    parts_{{ depth }} as (
        select
            draw_id,
            unit_key,
            node_key,
            aggregation,
            sum_term,
            available_weight,
            available_nominal_weight,
            total_nominal_weight
        from leaf_parts
        where node_level = {{ depth }} and has_nonleaf_children
        {%- if depth < max_depth - 1 %}
            union all
            select
                children.draw_id,
                children.unit_key,
                weights_keyed.parent_key as node_key,
                weights_keyed.parent_aggregation as aggregation,
            {{ weighted_mean_terms(
                'weights_keyed.weight', 'weights_keyed.nominal_weight', 'children.score',
                'weights_keyed.parent_aggregation'
            ) | indent(12) }}
            from node_scores_{{ depth + 1 }} as children
            inner join weights_keyed
                on
                    children.draw_id = weights_keyed.draw_id
                    and children.node_key = weights_keyed.node_key
            group by
                children.draw_id,
                children.unit_key,
                weights_keyed.parent_key,
                weights_keyed.parent_aggregation
        {%- endif %}
    ),

    node_scores_{{ depth }} as (
        select
            draw_id,
            unit_key,
            node_key,
            {{ weighted_mean_from_terms(
                'aggregation', 'sum_term', 'available_weight', 'available_nominal_weight',
                'total_nominal_weight'
            ) }} as score
        from leaf_parts
        where node_level = {{ depth }} and not has_nonleaf_children
        union all
        select
            draw_id,
            unit_key,
            node_key,
            {{ weighted_mean_from_terms(
                'aggregation', 'sum(sum_term)', 'sum(available_weight)',
                'sum(available_nominal_weight)', 'sum(total_nominal_weight)'
            ) }} as score
        from parts_{{ depth }}
        group by draw_id, unit_key, node_key, aggregation
    ),
{%- endfor %}

composites as (
    select
        unit_keys.framework_id,
        node_scores_0.draw_id,
        unit_keys.unit_id,
        unit_keys.unit_level,
        node_scores_0.score
    from node_scores_0
    inner join unit_keys
        on node_scores_0.unit_key = unit_keys.unit_key
),

ranked as (
    select
        framework_id,
        draw_id,
        unit_id,
        unit_level,
        score as composite_score,
        case
            when score is not null
                then row_number() over (
                    partition by framework_id, draw_id, unit_level
                    order by round(score, 9) desc nulls last, unit_id asc
                )
        end as composite_rank
    from composites
)

select * from ranked
