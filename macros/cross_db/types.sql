{#- Column types that mean the same in both warehouses. -#}

{% macro postgres__type_string() -%}
    text
{%- endmacro %}

{% macro redshift__type_string() -%}
    {#- Redshift's text and varchar mean varchar(256); long values would not fit. -#}
    varchar(65535)
{%- endmacro %}

{% macro default__type_timestamp() -%}
    timestamp
{%- endmacro %}

{% macro default__type_bigint() -%}
    bigint
{%- endmacro %}
