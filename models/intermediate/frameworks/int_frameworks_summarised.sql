{#-
    One row per framework: the reference facts (frameworks.csv, its edition) with what the tree
    and the printed tables say about it — pillars, leaves, depth, tier rule, units ranked.

    A framework is its tree macro plus what only a human knows (README "Extending"): its row in
    seeds/reference/frameworks.csv and its edition's row in editions.csv. A missing part stops
    the build here with a message naming the file to fill in.
-#}
with

frameworks as (
    select * from {{ ref('stg_reference__frameworks') }}
),

editions as (
    select * from {{ ref('stg_reference__editions') }}
),

nodes as (
    select * from {{ ref('int_framework_nodes_weighted') }}
),

ranking_rows as (
    select * from {{ ref('int_ranking_rows_resolved') }}
),

tier_rules as (
    select * from {{ ref('stg_published__tier_rules') }}
),

node_counts as (
    select
        framework_id,
        count(*) filter (where node_level = 1) as n_pillars,
        count(*) filter (where is_leaf) as n_leaf_indicators,
        max(node_level) as tree_depth
    from nodes
    group by framework_id
),

unit_counts as (
    select
        framework_id,
        count(distinct unit_id) as n_units_ranked,
        count(distinct table_id) as n_ranking_tables
    from ranking_rows
    group by framework_id
),

tier_rule_texts as (
    select
        framework_id,
        string_agg(
            tier_name_zh || ' ' || coalesce('≥' || min_score_inclusive::varchar, '')
            || coalesce(' <' || max_score_exclusive::varchar, ''),
            '; ' order by tier_order
        ) as tier_rule
    from tier_rules
    group by framework_id
),

-- Every framework either part names, and the part it lacks (error() stops the build).
completeness as (
    select
        coalesce(node_counts.framework_id, frameworks.framework_id) as framework_id,
        case
            when frameworks.framework_id is null
                then error(
                    'framework ' || node_counts.framework_id || ': macros/frameworks/'
                    || node_counts.framework_id || '.sql has its tree, but seeds/reference/'
                    || 'frameworks.csv has no row for it (framework_id, edition_id, unit_levels, '
                    || 'name_zh, name_en, weights_published, scores_published, ranks_published, '
                    || 'source_ref): README "Extending"'
                )
            when node_counts.framework_id is null
                then error(
                    'framework ' || frameworks.framework_id || ' is in seeds/reference/'
                    || 'frameworks.csv but has no tree: expected macro framework_'
                    || frameworks.framework_id || '() in macros/frameworks/'
                    || frameworks.framework_id || '.sql (make new-framework FROM=<id> TO='
                    || frameworks.framework_id || ')'
                )
            when editions.edition_id is null
                then error(
                    'framework ' || frameworks.framework_id || ': its edition '
                    || frameworks.edition_id || ' has no row in seeds/reference/editions.csv '
                    || '(edition_id, publisher_zh, publisher_en, title_zh, title_en, '
                    || 'report_files, publication_year, data_year, source_ref): '
                    || 'README "Extending"'
                )
        end as missing_part
    from node_counts
    full join frameworks
        on node_counts.framework_id = frameworks.framework_id
    left join editions
        on frameworks.edition_id = editions.edition_id
),

final as (
    select
        frameworks.*,
        editions.publisher_zh,
        editions.publisher_en,
        editions.title_zh as edition_title_zh,
        editions.title_en as edition_title_en,
        editions.data_year,
        node_counts.n_pillars,
        node_counts.n_leaf_indicators,
        node_counts.tree_depth,
        tier_rule_texts.tier_rule,
        coalesce(unit_counts.n_units_ranked, 0) as n_units_ranked,
        coalesce(unit_counts.n_ranking_tables, 0) as n_ranking_tables
    from frameworks
    inner join editions
        on frameworks.edition_id = editions.edition_id
    left join node_counts
        on frameworks.framework_id = node_counts.framework_id
    left join unit_counts
        on frameworks.framework_id = unit_counts.framework_id
    left join tier_rule_texts
        on frameworks.framework_id = tier_rule_texts.framework_id
    inner join completeness
        on frameworks.framework_id = completeness.framework_id
    where completeness.missing_part is null
)

select * from final
