{#-
    One row per framework × uncertain input: the method choices the Monte Carlo varies
    (README "How sure is a rank?"), declared by vars:
    - `weight:<node>` — the node's weight, perturbed w·(1 + f·U(−1, 1)) with f from
      var('uncertainty_weight_factors') for its level (inputs with f = 0 are not declared);
    - `aggregation:level_<L>` — arithmetic vs geometric mean of the children of level-L nodes;
    - `normalisation` — the catalog's method or an alternative, for continuous leaves;
    - `imputation` — only where the framework has a missing leaf value.
    `input_group` is the factor the Sobol indices are reported for (weights grouped per level).
-#}
{%- set factors = var('uncertainty_weight_factors') %}
{%- for level, factor in factors.items() %}
    {%- if factor < 0 or factor >= 1 %}
        {{ exceptions.raise_compiler_error(
            "var('uncertainty_weight_factors') level " ~ level ~ ": f = " ~ factor
            ~ " must be in [0, 1) so that perturbed weights stay non-negative") }}
    {%- endif %}
{%- endfor %}
{%- set alternatives = var('uncertainty_normalisation_alternatives') %}
with

nodes as (
    select * from {{ ref('int_framework_nodes_weighted') }}
),

leaf_scores as (
    select * from {{ ref('int_indicator_scores_normalised') }}
),

catalog as (
    select * from {{ ref('stg_catalog__indicators') }}
),

weight_factors as (
    select
        declared.col0::integer as node_level,
        declared.col1::double as factor
    from (
        values
        {%- for level, factor in factors.items() %}
            ('{{ level }}', {{ factor }}){{ ',' if not loop.last }}
        {%- endfor %}
    ) as declared
),

weight_inputs as (
    select
        nodes.framework_id,
        'weight:' || nodes.node_code as input_code,
        'weights_level_' || nodes.node_level as input_group,
        'weight' as input_kind,
        nodes.node_code,
        nodes.node_level,
        weight_factors.factor
    from nodes
    inner join weight_factors
        on nodes.node_level = weight_factors.node_level
    where nodes.parent_code is not null and weight_factors.factor > 0
),

aggregation_inputs as (
    select distinct
        framework_id,
        'aggregation:level_' || node_level as input_code,
        'aggregation' as input_group,
        'aggregation' as input_kind,
        null as node_code,
        node_level,
        null::double as factor
    from nodes
    where not is_leaf and {{ var('uncertainty_vary_aggregation') }}
),

normalisation_inputs as (
    select distinct
        framework_id,
        'normalisation' as input_code,
        'normalisation' as input_group,
        'normalisation' as input_kind,
        null as node_code,
        null::integer as node_level,
        null::double as factor
    from catalog
    where value_type = 'continuous' and {{ alternatives | length > 0 }}
),

imputation_inputs as (
    select distinct
        framework_id,
        'imputation' as input_code,
        'imputation' as input_group,
        'imputation' as input_kind,
        null as node_code,
        null::integer as node_level,
        null::double as factor
    from leaf_scores
    where is_missing and {{ var('uncertainty_vary_imputation') }}
),

declared as (
    select * from weight_inputs
    union all
    select * from aggregation_inputs
    union all
    select * from normalisation_inputs
    union all
    select * from imputation_inputs
)

select
    *,
    dense_rank() over (partition by framework_id order by input_group) as group_index
from declared
