{#-
    Every raw indicator row, resolved (unit → unit_id, node_code → catalog leaf) and checked.
    `check_failure` names the first rule the row breaks (null when valid) and `failed_column`
    the cell; the test assert_raw_indicator_values_are_valid reports them with file and line.

    A unit is given as a unit_id, a name printed at one of the framework's levels, an official
    name (锦州市) or the official name without its suffix (锦州). The first of these steps that
    finds a unit at the framework's unit levels decides; more than one unit there is ambiguous.
    A unit found only at another level (a county in a city file) is refused, whether given by
    name or by id.

    A table: the treatment, the raw-value test and the refresh read it; as a view each would
    redo the resolution and checks.
-#}
{{ config(materialized='table') }}
with

raw_values as (
    select * from {{ ref('stg_raw__indicator_values') }}
),

frameworks as (
    select * from {{ ref('stg_reference__frameworks') }}
),

unit_names as (
    select * from {{ ref('int_unit_names') }}
),

catalog as (
    select * from {{ ref('stg_catalog__indicators') }}
),

nodes as (
    select * from {{ ref('stg_frameworks__nodes') }}
),

suggestions as (
    select * from {{ ref('int_unit_name_suggestions') }}
),

framework_levels as (
    select * from {{ ref('int_framework_unit_levels') }}
),

-- Each unit's own name and level (the gazetteer's), keyed by unit_id.
unit_levels as (
    select
        unit_id,
        unit_name_zh as name_zh,
        unit_level
    from unit_names
    where name_kind = 'unit_id'
),

given_units as (
    select distinct
        framework_id,
        unit
    from raw_values
    where coalesce(unit, '') != ''
),

-- Every unit the given text names, with the level it names it at and whether the framework takes
-- that level (steps: int_unit_names).
candidate_levels as (
    select
        given_units.*,
        unit_names.resolution_step as step,
        unit_names.unit_id,
        unit_levels.unit_level,
        unit_levels.name_zh,
        framework_levels.unit_level is not null as is_framework_level
    from given_units
    inner join unit_names
        on given_units.unit = unit_names.name_key
    inner join unit_levels
        on unit_names.unit_id = unit_levels.unit_id
    left join framework_levels
        on
            given_units.framework_id = framework_levels.framework_id
            and unit_names.unit_level = framework_levels.unit_level
),

-- A unit_id decides alone; a name, by the first step with a unit at the framework's levels.
deciding_steps as (
    select
        framework_id,
        unit,
        coalesce(
            min(step) filter (where step = 1),
            min(step) filter (where is_framework_level)
        ) as deciding_step
    from candidate_levels
    group by framework_id, unit
),

unit_resolution as (
    select
        candidate_levels.framework_id,
        candidate_levels.unit,
        count(distinct candidate_levels.unit_id) filter (
            where candidate_levels.step = deciding_steps.deciding_step
        ) as n_candidates,
        min(candidate_levels.unit_id) filter (
            where candidate_levels.step = deciding_steps.deciding_step
        ) as unit_id,
        bool_or(candidate_levels.is_framework_level) filter (
            where candidate_levels.step = deciding_steps.deciding_step
        ) as is_framework_level,
        -- What the unit is where the framework does not take it (for the message).
        min(
            candidate_levels.name_zh || ' (' || candidate_levels.unit_id || ') is a '
            || candidate_levels.unit_level
        ) filter (where not candidate_levels.is_framework_level) as wrong_level_unit
    from candidate_levels
    inner join deciding_steps
        on
            candidate_levels.framework_id = deciding_steps.framework_id
            and candidate_levels.unit = deciding_steps.unit
    group by candidate_levels.framework_id, candidate_levels.unit
),

leaf_names as (
    select
        catalog.framework_id,
        catalog.node_code,
        nodes.name_zh,
        nodes.name_en
    from catalog
    left join nodes
        on
            catalog.framework_id = nodes.framework_id
            and catalog.node_code = nodes.node_code
),

-- Not materialised although read twice: the duplicate count needs only three of its columns,
-- and computing the resolution twice is cheaper than writing 10^7 wide rows aside (15.7 s →
-- 12.9 s at 10^7 values; docs/engine.md §7).
resolved as not materialized (
    select
        raw_values.*,
        frameworks.unit_levels as framework_unit_levels,
        unit_resolution.wrong_level_unit,
        suggestions.suggested_units,
        unit_levels.unit_level,
        leaf_names.name_zh as leaf_name_zh,
        leaf_names.name_en as leaf_name_en,
        catalog.value_type,
        catalog.direction,
        catalog.plausible_min,
        catalog.plausible_max,
        catalog.ordinal_levels,
        frameworks.framework_id is not null as is_known_framework,
        coalesce(unit_resolution.n_candidates, 0) as n_unit_candidates,
        coalesce(unit_resolution.is_framework_level, false) as is_framework_level,
        case when unit_resolution.n_candidates = 1 then unit_resolution.unit_id end as unit_id,
        catalog.node_code is not null as is_known_indicator,
        raw_values.indicator is null
        or lower(raw_values.indicator) in (lower(leaf_names.name_zh), lower(leaf_names.name_en))
            as is_indicator_as_named,
        try_cast(raw_values.value_text as double) as value_number
    from raw_values
    left join frameworks
        on raw_values.framework_id = frameworks.framework_id
    left join unit_resolution
        on
            raw_values.framework_id = unit_resolution.framework_id
            and raw_values.unit = unit_resolution.unit
    left join suggestions
        on
            raw_values.framework_id = suggestions.framework_id
            and raw_values.unit = suggestions.unit
    left join unit_levels
        on
            unit_resolution.unit_id = unit_levels.unit_id
            and unit_resolution.n_candidates = 1
    left join catalog
        on
            raw_values.framework_id = catalog.framework_id
            and raw_values.node_code = catalog.node_code
    left join leaf_names
        on
            raw_values.framework_id = leaf_names.framework_id
            and raw_values.node_code = leaf_names.node_code
),

-- Rows per cell, by a narrow group-by joined back (a window over the wide rows would sort them
-- all). Rows with no unit_id or node_code fail an earlier rule, so their null count never shows.
cell_counts as (
    select
        framework_id,
        unit_id,
        node_code,
        count(*) as n_same_cell
    from resolved
    group by framework_id, unit_id, node_code
),

with_duplicates as (
    select
        resolved.*,
        cell_counts.n_same_cell
    from resolved
    left join cell_counts
        on
            resolved.framework_id = cell_counts.framework_id
            and resolved.unit_id = cell_counts.unit_id
            and resolved.node_code = cell_counts.node_code
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
                    value_number != round(value_number)
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
            when n_unit_candidates = 0 and wrong_level_unit is not null
                then
                    wrong_level_unit || '; ' || framework_id || ' takes '
                    || replace(framework_unit_levels, ';', ' or ') || ' units'
            when n_unit_candidates = 0
                then
                    'unknown unit ' || unit
                    || coalesce(' (did you mean ' || suggested_units || '?)', '')
            when n_unit_candidates > 1
                then
                    'ambiguous unit ' || unit || ' (' || n_unit_candidates
                    || ' units): give its unit_id'
            when not is_framework_level
                then
                    wrong_level_unit || '; ' || framework_id || ' takes '
                    || replace(framework_unit_levels, ';', ' or ') || ' units'
            when not is_known_indicator
                then
                    'unknown indicator '
                    || coalesce(node_code, '')
                    || ' (not a leaf of '
                    || framework_id
                    || ')'
            when not is_indicator_as_named
                then
                    'indicator "' || indicator || '" is not ' || node_code || ' of ' || framework_id
                    || ' (' || leaf_name_zh || coalesce(' / ' || leaf_name_en, '')
                    || '): is the row from another framework''s template?'
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
            when coalesce(unit, '') = '' or n_unit_candidates != 1 or not is_framework_level
                then 'unit'
            when not is_known_indicator then 'node_code'
            when not is_indicator_as_named then 'indicator'
            when value_number is null or is_out_of_domain then 'value'
            when n_same_cell > 1 then 'unit, node_code'
        end as failed_column
    from flagged
)

select * from checked
