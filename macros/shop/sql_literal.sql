{#- sql_literal(value): a Nunjucks value as an SQL string literal, single quotes doubled.
    Backslashes are doubled on Redshift, whose string literals treat them as escapes; PostgreSQL
    (standard_conforming_strings, the default since 9.1) takes them literally. -#}

{% macro postgres__sql_literal(value) -%}
    '{{ value | string | replace("'", "''") }}'
{%- endmacro %}

{% macro redshift__sql_literal(value) -%}
    '{{ value | string | replace("\\", "\\\\") | replace("'", "''") }}'
{%- endmacro %}
