{#-
    One row per framework × draw × unit: the composite score and rank in that draw — the whole
    index recomputed for every draw at once, the draw a column (no per-draw dbt run). Leaves take
    the draw's normalisation variant and imputation rule (int_uncertainty_leaf_lists), every node
    its drawn weight and its parent's drawn aggregation (int_uncertainty_weights_drawn); the tree
    is rolled up one level at a time as in int_node_scores_rolled_up (coverage rule on nominal
    weights, zero-safe geometric floor). Ranks follow the engine (docs/engine.md §5: 1e-9 ties,
    then unit_id).
    Speed (docs/benchmark.md): draws × units × leaf parents is the big product, and a GROUP BY
    over it (tens of millions of rows, a group per draw × unit × node) cost most of the time.
    So: a leaf parent is one list dot product per row, joined on one integer key; a node over
    leaf parents only (a pillar over sub-pillars over indicators: "nested") is scored in ONE
    row per draw × unit from nested lists — its children's dot products and its own mean in a
    list comprehension — so only the few rows above it are grouped, on integer keys (strings
    would triple the time). Every scored row carries what its parent needs (its drawn weight,
    the parent's key and drawn mean), so no join back to the weights; each big join feeds one
    consumer, nothing big is materialised. Nodes with leaf and non-leaf children take the
    general path (parts summed by GROUP BY); a unit test pins both paths to hand-computed values.
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

-- A node whose children are all leaf parents with only leaf children (a pillar over
-- sub-pillars over indicators): scored in one row per draw × unit from nested lists.
nested_parents as (
    select
        children.framework_id,
        children.parent_code
    from nodes as children
    left join parents_of_nonleaf_nodes as grandchildren
        on
            children.framework_id = grandchildren.framework_id
            and children.node_code = grandchildren.parent_code
    where children.parent_code is not null
    group by children.framework_id, children.parent_code
    having bool_and(not children.is_leaf and grandchildren.parent_code is null)
),

-- Integer keys, unique across frameworks.
node_keys as (
    select
        nodes.framework_id,
        nodes.node_code,
        nodes.parent_code,
        nodes.node_level,
        dense_rank() over (order by nodes.framework_id, nodes.node_code) as node_key,
        parents_of_nonleaf_nodes.parent_code is not null as has_nonleaf_children,
        nested_parents.parent_code is not null as is_nested_parent,
        coalesce(nested_grandparents.parent_code is not null, false) as is_nested_child
    from nodes
    left join parents_of_nonleaf_nodes
        on
            nodes.framework_id = parents_of_nonleaf_nodes.framework_id
            and nodes.node_code = parents_of_nonleaf_nodes.parent_code
    left join nested_parents
        on
            nodes.framework_id = nested_parents.framework_id
            and nodes.node_code = nested_parents.parent_code
    left join nested_parents as nested_grandparents
        on
            nodes.framework_id = nested_grandparents.framework_id
            and nodes.parent_code = nested_grandparents.parent_code
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

-- Every draw × non-root node: its drawn weight in its parent, the parent and its drawn mean.
weights_keyed as materialized (
    select
        weights.draw_id,
        node_keys.node_key,
        parent_keys.node_key as parent_key,
        weights.weight,
        weights.nominal_weight,
        weights.parent_aggregation = 'geometric' as parent_is_geometric
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
        parent_keys.is_nested_child,
        weights.parent_aggregation = 'geometric' as is_geometric,
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
        parent_keys.is_nested_child,
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

leaf_lists_keyed as materialized (
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

-- Each draw × leaf parent (small): the list of scores it picks, its weight list, and how the
-- leaf parent enters its own parent in the draw (null for a root whose children are leaves).
draw_lists as materialized (
    select
        choices.draw_id,
        list_keys.list_key,
        leaf_weight_lists.parent_key as node_key,
        leaf_weight_lists.parent_level as node_level,
        leaf_weight_lists.has_nonleaf_children,
        leaf_weight_lists.is_geometric,
        leaf_weight_lists.weights,
        own.parent_key,
        own.weight,
        own.nominal_weight,
        own.parent_is_geometric
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
    left join weights_keyed as own
        on
            choices.draw_id = own.draw_id
            and leaf_weight_lists.parent_key = own.node_key
    where not leaf_weight_lists.is_nested_child
),

-- The nested parents' rows. Per variant × imputation × unit × nested parent: its children's
-- leaf lists, as lists (children in node_code order) ...
nest_keys as (
    select
        list_keys.framework_id,
        list_keys.normalisation_variant,
        list_keys.imputation,
        children.parent_code,
        dense_rank() over (
            order by
                list_keys.framework_id,
                list_keys.normalisation_variant,
                list_keys.imputation,
                children.parent_code
        ) as nest_key
    from list_keys
    inner join node_keys as children
        on
            list_keys.framework_id = children.framework_id
            and list_keys.parent_code = children.node_code
    where children.is_nested_child
    group by
        list_keys.framework_id,
        list_keys.normalisation_variant,
        list_keys.imputation,
        children.parent_code
),

unit_nests as materialized (
    select
        nest_keys.nest_key,
        unit_keys.unit_key,
        list(leaf_lists.scores order by leaf_lists.parent_code) as scores,
        list(leaf_lists.log_scores order by leaf_lists.parent_code) as log_scores,
        list(leaf_lists.available order by leaf_lists.parent_code) as available,
        list(
            leaf_lists.available_nominal_weight / leaf_lists.total_nominal_weight
            order by leaf_lists.parent_code
        ) as coverages
    from leaf_lists
    inner join node_keys as children
        on
            leaf_lists.framework_id = children.framework_id
            and leaf_lists.parent_code = children.node_code
    inner join nest_keys
        on
            leaf_lists.framework_id = nest_keys.framework_id
            and leaf_lists.normalisation_variant = nest_keys.normalisation_variant
            and leaf_lists.imputation = nest_keys.imputation
            and children.parent_code = nest_keys.parent_code
    inner join unit_keys
        on
            leaf_lists.framework_id = unit_keys.framework_id
            and leaf_lists.unit_id = unit_keys.unit_id
    group by nest_keys.nest_key, unit_keys.unit_key
),

-- ... and per draw × nested parent: its children's leaf weight lists and means, the children's
-- drawn weights in it, its own drawn mean, and how it enters its own parent.
nested_weight_lists as (
    select
        leaf_weight_lists.framework_id,
        leaf_weight_lists.draw_id,
        parents.node_code,
        parents.node_key,
        parents.node_level,
        any_value(children.parent_is_geometric) as is_geometric,
        list(leaf_weight_lists.weights order by leaf_weight_lists.parent_code) as leaf_weights,
        list(leaf_weight_lists.is_geometric order by leaf_weight_lists.parent_code)
            as children_geometric,
        list(children.weight order by leaf_weight_lists.parent_code) as child_weights,
        list(children.nominal_weight order by leaf_weight_lists.parent_code)
            as child_nominal_weights
    from leaf_weight_lists
    inner join weights_keyed as children
        on
            leaf_weight_lists.draw_id = children.draw_id
            and leaf_weight_lists.parent_key = children.node_key
    inner join node_keys as parents
        on children.parent_key = parents.node_key
    where leaf_weight_lists.is_nested_child
    group by
        leaf_weight_lists.framework_id,
        leaf_weight_lists.draw_id,
        parents.node_code,
        parents.node_key,
        parents.node_level
),

draw_nests as materialized (
    select
        choices.draw_id,
        nest_keys.nest_key,
        nested_weight_lists.node_key,
        nested_weight_lists.node_level,
        nested_weight_lists.is_geometric,
        nested_weight_lists.leaf_weights,
        nested_weight_lists.children_geometric,
        nested_weight_lists.child_weights,
        nested_weight_lists.child_nominal_weights,
        own.parent_key,
        own.weight,
        own.nominal_weight,
        own.parent_is_geometric
    from choices
    inner join nested_weight_lists
        on
            choices.framework_id = nested_weight_lists.framework_id
            and choices.draw_id = nested_weight_lists.draw_id
    inner join nest_keys
        on
            choices.framework_id = nest_keys.framework_id
            and choices.normalisation_variant = nest_keys.normalisation_variant
            and choices.imputation = nest_keys.imputation
            and nested_weight_lists.node_code = nest_keys.parent_code
    left join weights_keyed as own
        on
            choices.draw_id = own.draw_id
            and nested_weight_lists.node_key = own.node_key
),
{%- for depth in range(max_depth - 1, -1, -1) %}

-- Depth {{ depth }}. The big step, every draw × unit × leaf parent at this depth: one dot
-- product per row, not one row per leaf. A node with only leaf children is scored right here.
    leaf_scores_{{ depth }} as (
        select
            draw_lists.draw_id,
            leaf_lists_keyed.unit_key,
            draw_lists.node_key,
            draw_lists.parent_key,
            draw_lists.weight,
            draw_lists.nominal_weight,
            draw_lists.parent_is_geometric,
            {{ weighted_mean_from_terms(
                'draw_lists.is_geometric',
                'case when draw_lists.is_geometric then '
                ~ 'list_dot_product(draw_lists.weights, leaf_lists_keyed.log_scores) '
                ~ 'else list_dot_product(draw_lists.weights, leaf_lists_keyed.scores) end',
                'list_dot_product(draw_lists.weights, leaf_lists_keyed.available)',
                'leaf_lists_keyed.available_nominal_weight', 'leaf_lists_keyed.total_nominal_weight'
            ) }} as score
        from draw_lists
        inner join leaf_lists_keyed
            on draw_lists.list_key = leaf_lists_keyed.list_key
        where draw_lists.node_level = {{ depth }} and not draw_lists.has_nonleaf_children
    ),

    -- A nested parent at this depth, every draw × unit: its children's scores from their leaf
    -- lists (i: the i-th child), then its own from those, in the same row.
    nested_children_{{ depth }} as (
        select
            draw_nests.draw_id,
            unit_nests.unit_key,
            draw_nests.node_key,
            draw_nests.is_geometric,
            draw_nests.child_weights,
            draw_nests.child_nominal_weights,
            draw_nests.parent_key,
            draw_nests.weight,
            draw_nests.nominal_weight,
            draw_nests.parent_is_geometric,
            [
                {{ weighted_mean_from_terms(
                    'draw_nests.children_geometric[i]',
                    'case when draw_nests.children_geometric[i] then '
                    ~ 'list_dot_product(draw_nests.leaf_weights[i], unit_nests.log_scores[i]) '
                    ~ 'else list_dot_product(draw_nests.leaf_weights[i], unit_nests.scores[i]) end',
                    'list_dot_product(draw_nests.leaf_weights[i], unit_nests.available[i])',
                    'unit_nests.coverages[i]', '1.0'
                ) | indent(16) }}
                for i in range(1, len(draw_nests.leaf_weights) + 1)
            ] as child_scores
        from draw_nests
        inner join unit_nests
            on draw_nests.nest_key = unit_nests.nest_key
        where draw_nests.node_level = {{ depth }}
    ),

    nested_scores_{{ depth }} as (
        select
            draw_id,
            unit_key,
            node_key,
            parent_key,
            weight,
            nominal_weight,
            parent_is_geometric,
            {{ weighted_mean_from_terms(
                'is_geometric',
                'list_sum([case when is_geometric then child_weights[i] * ln(greatest('
                ~ 'child_scores[i], ' ~ var('geometric_mean_floor') ~ ')) '
                ~ 'else child_weights[i] * child_scores[i] end '
                ~ 'for i in range(1, len(child_scores) + 1)])',
                'list_sum([case when child_scores[i] is not null then child_weights[i] end '
                ~ 'for i in range(1, len(child_scores) + 1)])',
                'list_sum([case when child_scores[i] is not null then child_nominal_weights[i] end '
                ~ 'for i in range(1, len(child_scores) + 1)])',
                'list_sum(child_nominal_weights)'
            ) }} as score
        from nested_children_{{ depth }}
    ),

    -- A node with leaf and non-leaf children: its leaf children's parts, summed below with the
    -- non-leaf children's.
    mixed_leaf_parts_{{ depth }} as (
        select
            draw_lists.draw_id,
            leaf_lists_keyed.unit_key,
            draw_lists.node_key,
            draw_lists.is_geometric,
            leaf_lists_keyed.total_nominal_weight,
            leaf_lists_keyed.available_nominal_weight,
            case
                when draw_lists.is_geometric
                    then list_dot_product(draw_lists.weights, leaf_lists_keyed.log_scores)
                else list_dot_product(draw_lists.weights, leaf_lists_keyed.scores)
            end as sum_term,
            list_dot_product(draw_lists.weights, leaf_lists_keyed.available) as available_weight
        from draw_lists
        inner join leaf_lists_keyed
            on draw_lists.list_key = leaf_lists_keyed.list_key
        where draw_lists.node_level = {{ depth }} and draw_lists.has_nonleaf_children
    ),

    parts_{{ depth }} as (
        select * from mixed_leaf_parts_{{ depth }}
        {%- if depth < max_depth - 1 %}
            union all
            select
                draw_id,
                unit_key,
                parent_key as node_key,
                parent_is_geometric as is_geometric,
                {{ weighted_mean_terms(
                    'weight', 'nominal_weight', 'score', 'parent_is_geometric'
                ) | indent(16) }}
            from node_scores_{{ depth + 1 }}
        {%- endif %}
    ),

    grouped_scores_{{ depth }} as (
        select
            draw_id,
            unit_key,
            node_key,
            {{ weighted_mean_from_terms(
                'is_geometric', 'sum(sum_term)', 'sum(available_weight)',
                'sum(available_nominal_weight)', 'sum(total_nominal_weight)'
            ) }} as score
        from parts_{{ depth }}
        group by draw_id, unit_key, node_key, is_geometric
    ),

    node_scores_{{ depth }} as (
        select * from leaf_scores_{{ depth }}
        union all
        select * from nested_scores_{{ depth }}
        union all
        select
            grouped_scores_{{ depth }}.draw_id,
            grouped_scores_{{ depth }}.unit_key,
            grouped_scores_{{ depth }}.node_key,
            own.parent_key,
            own.weight,
            own.nominal_weight,
            own.parent_is_geometric,
            grouped_scores_{{ depth }}.score
        from grouped_scores_{{ depth }}
        left join weights_keyed as own
            on
                grouped_scores_{{ depth }}.draw_id = own.draw_id
                and grouped_scores_{{ depth }}.node_key = own.node_key
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
