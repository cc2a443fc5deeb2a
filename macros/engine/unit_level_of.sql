{#-
    The level a unit is ranked at (city, district, county, zone, province) from its unit_type.
    Args: unit_type_column. Example: `{{ unit_level_of('geo_units.unit_type') }}`.
-#}
{% macro unit_level_of(unit_type_column) -%}
    case
        when {{ unit_type_column }} = 'district' then 'district'
        when {{ unit_type_column }} in ('county', 'county_city', 'autonomous_county', 'banner') then 'county'
        when {{ unit_type_column }} = 'zone' then 'zone'
        when {{ unit_type_column }} = 'province' then 'province'
        else 'city'
    end
{%- endmacro %}
