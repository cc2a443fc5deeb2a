{#-
    The indicator catalog has exactly the leaves of each framework's tree: none missing,
    none extra.
    Complexity O(leaves): reads the catalog and the trees only, whatever the number of units.
-#}
with

leaves as (
    select
        framework_id,
        node_code
    from {{ ref('dim_framework_nodes') }}
    where is_leaf
),

catalog as (
    select
        framework_id,
        node_code
    from {{ ref('stg_catalog__indicators') }}
)

select
    'leaf without a catalog row' as failure,
    leaves.*
from leaves
where
    not exists (
        select 1 from catalog
        where catalog.framework_id = leaves.framework_id and catalog.node_code = leaves.node_code
    )
union all
select
    'catalog row that is not a leaf' as failure,
    catalog.*
from catalog
where not exists (
    select 1 from leaves
    where leaves.framework_id = catalog.framework_id and leaves.node_code = catalog.node_code
)
