{#- current_timestamp_utc(): now in UTC as a timestamp without time zone. -#}

{% macro postgres__current_timestamp_utc() -%}
    cast(now() at time zone 'utc' as timestamp)
{%- endmacro %}

{% macro redshift__current_timestamp_utc() -%}
    {#- Redshift sessions run in UTC; getdate() is the statement's start time. -#}
    getdate()
{%- endmacro %}
