{#- to_utc_timestamp(column): a timestamptz as the wall-clock time in UTC, a timestamp without
    time zone, so the value does not depend on the session's TimeZone setting (PostgreSQL) and
    reads the same in both warehouses. -#}

{% macro default__to_utc_timestamp(column) -%}
    cast({{ column }} at time zone 'UTC' as timestamp)
{%- endmacro %}
