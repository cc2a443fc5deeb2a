{#-
    The ranking level of a geographic unit, from its dim_geo_units.unit_type: districts,
    county-level units and zones rank among their own kind; everything else is a city.
    Args: unit_type_column. Example: `{{ unit_level_of('geo_units.unit_type') }}`.
-#}
{% macro unit_level_of(unit_type_column) -%}
    case
        when {{ unit_type_column }} = 'district' then 'district'
        when {{ unit_type_column }} in ('county', 'county_city', 'autonomous_county', 'banner') then 'county'
        when {{ unit_type_column }} = 'zone' then 'zone'
        else 'city'
    end
{%- endmacro %}
