{#-
    Every name printed in a ranking table, tier list, cluster list or the scale table must resolve
    to a unit through seeds/geography/unit_aliases.csv (built by scripts/build_geography.py).
    Returns the unresolved names with where they were printed.
    Complexity O(printed names): hash joins of the transcribed names to the gazetteer.
-#}
with

ranking_rows as (
    select * from {{ ref('int_ranking_rows_resolved') }}
),

tier_members as (
    select * from {{ ref('int_tier_members_resolved') }}
),

cluster_members as (
    select * from {{ ref('int_cluster_members_resolved') }}
),

scale_rows as (
    select * from {{ ref('fct_digital_economy_scale') }}
),

printed_names as (
    select
        'ranking_rows' as printed_in,
        unit_level,
        name_as_printed,
        unit_id,
        source_ref
    from ranking_rows
    union all
    select
        'tier_members' as printed_in,
        unit_level,
        name_as_printed,
        unit_id,
        source_ref
    from tier_members
    union all
    select
        'cluster_members' as printed_in,
        'city' as unit_level,
        name_as_printed,
        unit_id,
        source_ref
    from cluster_members
    union all
    select
        'digital_economy_scale' as printed_in,
        'city' as unit_level,
        name_as_printed,
        unit_id,
        source_ref
    from scale_rows
)

select *
from printed_names
where unit_id is null
