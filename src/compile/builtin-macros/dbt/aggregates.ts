// dbt's cross-database aggregates: dbt.listagg, dbt.any_value, dbt.bool_or, as dbt-postgres
// and dbt-redshift define them.
// https://docs.getdbt.com/reference/dbt-jinja-functions/cross-database-macros

import type { TextFile } from '../../project-files.js';

export const dbtAggregates: TextFile = {
  path: '<pgshift>/macros/dbt/aggregates.sql',
  text: String.raw`{#- order_by_clause is written whole, as in dbt: "order by order_date". -#}
{% macro postgres__listagg(measure, delimiter_text="','", order_by_clause=none, limit_num=none) -%}
    {%- if limit_num -%}
    array_to_string((array_agg({{ measure }}{% if order_by_clause %} {{ order_by_clause }}{% endif %}))[1:{{ limit_num }}], {{ delimiter_text }})
    {%- else -%}
    string_agg({{ measure }}, {{ delimiter_text }}{% if order_by_clause %} {{ order_by_clause }}{% endif %})
    {%- endif -%}
{%- endmacro %}

{#- Redshift: LISTAGG … WITHIN GROUP https://docs.aws.amazon.com/redshift/latest/dg/r_LISTAGG.html.
    It has no limit; as in dbt, the first limit_num items are cut out with REGEXP_SUBSTR
    (https://docs.aws.amazon.com/redshift/latest/dg/REGEXP_SUBSTR.html), so with a limit the
    measure must not contain the delimiter. -#}
{% macro redshift__listagg(measure, delimiter_text="','", order_by_clause=none, limit_num=none) -%}
    {%- set aggregated -%}
    listagg({{ measure }}, {{ delimiter_text }}){% if order_by_clause %} within group ({{ order_by_clause }}){% endif %}
    {%- endset -%}
    {%- if limit_num -%}
        {%- set delimiter = delimiter_text | replace("'", "") -%}
        {%- for char in ['\\', '^', '$', '.', '|', '?', '*', '+', '(', ')', '[', ']', '{', '}'] -%}
            {%- set delimiter = delimiter | replace(char, '\\' ~ char) -%}
        {%- endfor -%}
    regexp_substr({{ aggregated }}, '([^{{ delimiter }}]+{{ delimiter }}){1,{{ limit_num - 1 }}}[^{{ delimiter }}]+')
    {%- else -%}
    {{ aggregated }}
    {%- endif -%}
{%- endmacro %}

{% macro default__any_value(expression) -%}
    any_value({{ expression }})
{%- endmacro %}

{#- PostgreSQL 15 has no any_value; dbt-postgres takes min. -#}
{% macro postgres__any_value(expression) -%}
    min({{ expression }})
{%- endmacro %}

{#- dbt-redshift takes min as well, though Redshift has ANY_VALUE
    (https://docs.aws.amazon.com/redshift/latest/dg/r_ANY_VALUE.html): min gives the same answer on both. -#}
{% macro redshift__any_value(expression) -%}
    min({{ expression }})
{%- endmacro %}

{#- Redshift: BOOL_OR https://docs.aws.amazon.com/redshift/latest/dg/r_BOOL_OR.html -#}
{% macro default__bool_or(expression) -%}
    bool_or({{ expression }})
{%- endmacro %}
`,
};
