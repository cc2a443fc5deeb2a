{#-
    Every raw indicator row, resolved (unit → unit_id, node_code → catalog leaf) and checked.
    `check_failure` names the first rule the row breaks (null when valid) and `failed_column`
    the cell; the test assert_raw_indicator_values_are_valid reports them with file and line.
-#}
with

raw_values as (
    select * from {{ ref('stg_raw__indicator_values') }}
),

frameworks as (
    select * from {{ ref('stg_reference__frameworks') }}
),

geo_units as (
    select * from {{ ref('stg_geography__geo_units') }}
),

unit_aliases as (
    select * from {{ ref('stg_geography__unit_aliases') }}
),

catalog as (
    select * from {{ ref('stg_catalog__indicators') }}
),

-- The level a unit is ranked at in the framework's published composite tables: it wins over the
-- gazetteer's unit type (cpca predates some county → district conversions, e.g. 章丘).
published_levels as (
    select distinct
        framework_id,
        unit_id,
        unit_level
    from {{ ref('int_ranking_rows_resolved') }}
    where ranked_node_code = 'root'
),

-- A unit may be given as a unit_id or as any name printed at one of the framework's levels.
unit_candidates as (
    select
        raw_values.source_file,
        raw_values.source_line,
        geo_units.unit_id
    from raw_values
    inner join geo_units
        on raw_values.unit = geo_units.unit_id
    union
    select
        raw_values.source_file,
        raw_values.source_line,
        unit_aliases.unit_id
    from raw_values
    inner join frameworks
        on raw_values.framework_id = frameworks.framework_id
    inner join unit_aliases
        on
            raw_values.unit = unit_aliases.alias_zh
            and list_contains(string_split(frameworks.unit_levels, ';'), unit_aliases.unit_level)
),

unit_resolution as (
    select
        source_file,
        source_line,
        count(distinct unit_id) as n_candidates,
        min(unit_id) as unit_id
    from unit_candidates
    group by source_file, source_line
),

resolved as (
    select
        raw_values.*,
        frameworks.framework_id is not null as is_known_framework,
        coalesce(unit_resolution.n_candidates, 0) as n_unit_candidates,
        case when unit_resolution.n_candidates = 1 then unit_resolution.unit_id end as unit_id,
        coalesce(
            published_levels.unit_level, {{ unit_level_of('geo_units.unit_type') }}
        ) as unit_level,
        catalog.node_code is not null as is_known_indicator,
        catalog.value_type,
        catalog.direction,
        catalog.plausible_min,
        catalog.plausible_max,
        catalog.ordinal_levels,
        try_cast(raw_values.value_text as double) as value_number
    from raw_values
    left join frameworks
        on raw_values.framework_id = frameworks.framework_id
    left join unit_resolution
        on
            raw_values.source_file = unit_resolution.source_file
            and raw_values.source_line = unit_resolution.source_line
    left join geo_units
        on unit_resolution.unit_id = geo_units.unit_id and unit_resolution.n_candidates = 1
    left join published_levels
        on
            raw_values.framework_id = published_levels.framework_id
            and geo_units.unit_id = published_levels.unit_id
    left join catalog
        on
            raw_values.framework_id = catalog.framework_id
            and raw_values.node_code = catalog.node_code
),

with_duplicates as (
    select
        *,
        count(*) over (partition by framework_id, unit_id, node_code) as n_same_cell
    from resolved
),

flagged as (
    select
        *,
        value_number is not null and (
            value_number < plausible_min
            or value_number > plausible_max
            or (
                value_type = 'ordinal'
                and (
                    value_number <> round(value_number)
                    or value_number < 1
                    or value_number > ordinal_levels
                )
            )
            or (value_type = 'boolean' and value_number not in (0, 1))
        ) as is_out_of_domain
    from with_duplicates
),

-- Rules in priority order: the first one a row breaks is reported.
checked as (
    select
        *,
        case
            when not is_known_framework
                then 'file name is not a framework_id (' || framework_id || ')'
            when coalesce(unit, '') = ''
                then 'unit is empty'
            when n_unit_candidates = 0
                then 'unknown unit ' || unit
            when n_unit_candidates > 1
                then 'ambiguous unit ' || unit || ' (' || n_unit_candidates || ' units)'
            when not is_known_indicator
                then
                    'unknown indicator '
                    || coalesce(node_code, '')
                    || ' (not a leaf of '
                    || framework_id
                    || ')'
            when value_number is null
                then 'value ' || coalesce('"' || value_text || '"', 'empty') || ' is not a number'
            when is_out_of_domain and value_type = 'ordinal'
                then 'value ' || value_text || ' is not a level 1..' || ordinal_levels
            when is_out_of_domain and value_type = 'boolean'
                then 'value ' || value_text || ' is not 0 or 1'
            when is_out_of_domain
                then
                    'value ' || value_text || ' outside the plausible range ['
                    || plausible_min || ', ' || plausible_max || ']'
            when n_same_cell > 1
                then
                    'duplicate ' || unit_id || ' × ' || node_code || ' (' || n_same_cell || ' rows)'
        end as check_failure,
        case
            when not is_known_framework then 'file'
            when coalesce(unit, '') = '' or n_unit_candidates <> 1 then 'unit'
            when not is_known_indicator then 'node_code'
            when value_number is null or is_out_of_domain then 'value'
            when n_same_cell > 1 then 'unit, node_code'
        end as failed_column
    from flagged
)

select * from checked
