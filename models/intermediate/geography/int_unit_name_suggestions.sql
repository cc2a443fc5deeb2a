{#-
    Up to three "did you mean" units for each unit name a raw file gives that is no unit's id or
    name: the name with a dropped 市/区/县 (杭州县 → 杭州市), the same pinyin (杭洲 → 杭州市), or the
    same characters reordered or one edit apart. Only units at the framework's levels are offered.
    Candidates are found by equality joins (stem, pinyin, sorted characters, first or last
    character), so the work grows with the number of unknown names times a bucket, never with
    all pairs of units.
-#}
with

raw_values as (
    select * from {{ ref('stg_raw__indicator_values') }}
),

unit_names as (
    select * from {{ ref('int_unit_names') }}
),

hanzi_pinyin as (
    select * from {{ ref('hanzi_pinyin') }}
),

framework_levels as (
    select * from {{ ref('int_framework_unit_levels') }}
),

-- Every name a unit answers to at each framework's levels.
known_names as (
    select distinct
        framework_levels.framework_id,
        unit_names.unit_id,
        unit_names.unit_name_zh as display_name,
        unit_names.name_key as known_name
    from framework_levels
    inner join unit_names
        on framework_levels.unit_level = unit_names.unit_level
    where unit_names.name_kind != 'unit_id'
),

unit_ids as (
    select name_key as unit_id from unit_names
    where name_kind = 'unit_id'
),

unknown_names as (
    select distinct
        raw_values.framework_id,
        raw_values.unit,
        regexp_replace(raw_values.unit, '[市区县]$', '') as stem
    from raw_values
    left join known_names
        on
            raw_values.framework_id = known_names.framework_id
            and raw_values.unit = known_names.known_name
    left join unit_ids
        on raw_values.unit = unit_ids.unit_id
    where
        coalesce(raw_values.unit, '') != ''
        and known_names.unit_id is null
        and unit_ids.unit_id is null
),

spelled as (
    select distinct stem as spelling from unknown_names
    union
    select distinct known_name from known_names
),

character_positions as (
    select
        spelling,
        unnest(range(1, length(spelling) + 1)) as char_position
    from spelled
),

characters as (
    select
        spelling,
        char_position,
        substr(spelling, char_position, 1) as hanzi
    from character_positions
),

pinyin_of as (
    select
        characters.spelling,
        string_agg(
            coalesce(hanzi_pinyin.pinyin, characters.hanzi), '' order by characters.char_position
        ) as pinyin
    from characters
    left join hanzi_pinyin
        on characters.hanzi = hanzi_pinyin.hanzi
    group by characters.spelling
),

known_keyed as (
    select
        known_names.*,
        pinyin_of.pinyin,
        left(known_names.known_name, 1) as first_char,
        right(known_names.known_name, 1) as last_char,
        array_to_string(list_sort(string_split(known_names.known_name, '')), '') as char_key
    from known_names
    inner join pinyin_of on known_names.known_name = pinyin_of.spelling
),

unknown_keyed as (
    select
        unknown_names.*,
        pinyin_of.pinyin,
        left(unknown_names.stem, 1) as first_char,
        right(unknown_names.stem, 1) as last_char,
        array_to_string(list_sort(string_split(unknown_names.stem, '')), '') as char_key
    from unknown_names
    inner join pinyin_of on unknown_names.stem = pinyin_of.spelling
),

{#- Exact-key matches, best first: (key shared by the unknown and the known name, rank, example). #}
{%- set exact_keys = [
    ('stem', 'known_name', 1, 'a dropped 市/区/县: 杭州县 → 杭州'),
    ('pinyin', 'pinyin', 2, 'the same pinyin: 杭洲 → 杭州'),
    ('char_key', 'char_key', 3, 'the same characters in another order: 州杭 → 杭州'),
] %}

matches as (
    {%- for unknown_key, known_key, match_rank, example in exact_keys %}
    -- {{ example }}
        select
            unknown_keyed.framework_id,
            unknown_keyed.unit,
            known_keyed.unit_id,
            known_keyed.display_name,
            {{ match_rank }} as match_rank
        from unknown_keyed
        inner join known_keyed
            on
                unknown_keyed.framework_id = known_keyed.framework_id
                and unknown_keyed.{{ unknown_key }} = known_keyed.{{ known_key }}
        {%- if not loop.last %}
            union all
        {%- endif %}
    {%- endfor %}
    union all
    -- one character edited, sharing the first or the last character
    select
        unknown_keyed.framework_id,
        unknown_keyed.unit,
        known_keyed.unit_id,
        known_keyed.display_name,
        3 + levenshtein(unknown_keyed.stem, known_keyed.known_name) as match_rank
    from unknown_keyed
    inner join known_keyed
        on
            unknown_keyed.framework_id = known_keyed.framework_id
            and unknown_keyed.first_char = known_keyed.first_char
    where levenshtein(unknown_keyed.stem, known_keyed.known_name) <= 1
    union all
    select
        unknown_keyed.framework_id,
        unknown_keyed.unit,
        known_keyed.unit_id,
        known_keyed.display_name,
        3 + levenshtein(unknown_keyed.stem, known_keyed.known_name) as match_rank
    from unknown_keyed
    inner join known_keyed
        on
            unknown_keyed.framework_id = known_keyed.framework_id
            and unknown_keyed.last_char = known_keyed.last_char
    where levenshtein(unknown_keyed.stem, known_keyed.known_name) <= 1
),

best_per_unit as (
    select
        framework_id,
        unit,
        unit_id,
        display_name,
        min(match_rank) as match_rank
    from matches
    group by framework_id, unit, unit_id, display_name
),

ranked as (
    select
        *,
        row_number() over (
            partition by framework_id, unit order by match_rank, unit_id
        ) as suggestion_rank
    from best_per_unit
)

select
    framework_id,
    unit,
    string_agg(display_name || ' ' || unit_id, ', ' order by suggestion_rank) as suggested_units
from ranked
where suggestion_rank <= 3
group by framework_id, unit
