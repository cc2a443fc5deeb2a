{#-
    Valid raw values, with optional outlier treatment (var('outlier_treatment'), off by default).
    When on, an indicator normalised against its sample (minmax, zscore) whose values have
    |skewness| > var('outlier_max_skewness') and excess kurtosis > var('outlier_max_kurtosis') is
    winsorised on its skewed side — the fewest points (≤ var('outlier_max_winsorised_points'))
    that bring it within bounds — or, if none does, log-transformed (ln(1 + x − min)).
    Goalposts clip and ordinal/boolean/percentile scores are bounded, so those are left as they are.
-#}
{%- set max_points = var('outlier_max_winsorised_points') %}
{%- set max_skewness = var('outlier_max_skewness') %}
{%- set max_kurtosis = var('outlier_max_kurtosis') %}
with

checked as (
    select * from {{ ref('int_indicator_values_checked') }}
    where check_failure is null
),

catalog as (
    select * from {{ ref('stg_catalog__indicators') }}
),

valid_values as (
    select
        checked.framework_id,
        checked.unit_id,
        checked.unit_level,
        checked.node_code,
        checked.value_number as value,  -- noqa: RF04
        checked.provenance,
        checked.source_file,
        checked.source_line,
        catalog.normalisation,
        {{ 'true' if var('outlier_treatment') else 'false' }}
        and catalog.normalisation in ('minmax', 'zscore') as is_treatable
    from checked
    inner join catalog
        on
            checked.framework_id = catalog.framework_id
            and checked.node_code = catalog.node_code
),

-- Only treatable indicators are ranked (none when the treatment is off): sorting every value
-- twice would dominate the build at scale.
ranked as (
    select
        *,
        row_number() over (
            partition by framework_id, node_code order by value desc, unit_id asc
        ) as rank_desc,
        row_number() over (
            partition by framework_id, node_code order by value asc, unit_id asc
        ) as rank_asc
    from valid_values
    where is_treatable
),

-- Caps for winsorising k points: the (k+1)-th largest and smallest values.
caps as (
    select
        framework_id,
        node_code,
        {%- for k in range(1, max_points + 1) %}
            max(value) filter (where rank_desc = {{ k + 1 }}) as cap_high_{{ k }},
            min(value) filter (where rank_asc = {{ k + 1 }}) as cap_low_{{ k }},
        {%- endfor %}
        skewness(value) as raw_skewness,
        min(value) as raw_min
    from ranked
    group by framework_id, node_code
),

-- Each value winsorised by k = 0..max points on the skewed side.
winsorised as (
    select
        ranked.framework_id,
        ranked.node_code,
        ranked.unit_id,
        {%- for k in range(1, max_points + 1) %}
            case
                when caps.raw_skewness > 0 then least(ranked.value, caps.cap_high_{{ k }})
                else greatest(ranked.value, caps.cap_low_{{ k }})
            end as value_{{ k }},
        {%- endfor %}
        ranked.value as value_0
    from ranked
    inner join caps
        on
            ranked.framework_id = caps.framework_id
            and ranked.node_code = caps.node_code
),

-- Whether the distribution still breaks both shape bounds after winsorising k points.
shapes as (
    select
        framework_id,
        node_code,
        {%- for k in range(1, max_points + 1) %}
            abs(skewness(value_{{ k }})) > {{ max_skewness }}
            and kurtosis(value_{{ k }}) > {{ max_kurtosis }} as fails_{{ k }},
        {%- endfor %}
        abs(skewness(value_0)) > {{ max_skewness }}
        and kurtosis(value_0) > {{ max_kurtosis }} as fails_0
    from winsorised
    group by framework_id, node_code
),

treatments as (
    select
        shapes.framework_id,
        shapes.node_code,
        caps.raw_min,
        case
            {%- for k in range(0, max_points + 1) %}
                when not coalesce(shapes.fails_{{ k }}, false) then {{ k }}
            {%- endfor %}
        end as winsorised_points
    from shapes
    inner join caps
        on
            shapes.framework_id = caps.framework_id
            and shapes.node_code = caps.node_code
),

treated as (
    select
        valid_values.framework_id,
        valid_values.unit_id,
        valid_values.unit_level,
        valid_values.node_code,
        valid_values.value as raw_value,
        valid_values.provenance,
        valid_values.source_file,
        valid_values.source_line,
        case
            when treatments.framework_id is null or treatments.winsorised_points = 0 then 'none'
            when treatments.winsorised_points is null then 'log'
            else 'winsorised_' || treatments.winsorised_points
        end as treatment,
        case
            when treatments.framework_id is null or treatments.winsorised_points = 0
                then valid_values.value
            when treatments.winsorised_points is null
                then ln(1 + valid_values.value - treatments.raw_min)
            {%- for k in range(1, max_points + 1) %}
                when treatments.winsorised_points = {{ k }} then winsorised.value_{{ k }}
            {%- endfor %}
        end as treated_value
    from valid_values
    left join treatments
        on
            valid_values.framework_id = treatments.framework_id
            and valid_values.node_code = treatments.node_code
    left join winsorised
        on
            valid_values.framework_id = winsorised.framework_id
            and valid_values.node_code = winsorised.node_code
            and valid_values.unit_id = winsorised.unit_id
)

select * from treated
