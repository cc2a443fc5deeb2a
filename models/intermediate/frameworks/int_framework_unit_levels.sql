{#- One row per framework × unit level it ranks (frameworks.csv `unit_levels`, `;`-separated). -#}
with

frameworks as (
    select * from {{ ref('stg_reference__frameworks') }}
),

unit_levels as (
    select
        framework_id,
        unnest(string_split(unit_levels, ';')) as unit_level
    from frameworks
)

select * from unit_levels
