// Built-in macro file cross_db/date_trunc.sql, shipped with pgshift (a project macro of the same name wins).

import type { TextFile } from '../project-files.js';

export const dateTrunc: TextFile = {
  path: '<pgshift>/macros/cross_db/date_trunc.sql',
  text: `{#- date_trunc(datepart, date): the start of the datepart containing the value, as a
    timestamp without time zone in both warehouses. -#}

{% macro postgres__date_trunc(datepart, date) -%}
    {#- PostgreSQL would turn a date into timestamptz first; casting keeps it a plain timestamp. -#}
    date_trunc('{{ datepart }}', cast({{ date }} as timestamp))
{%- endmacro %}

{% macro redshift__date_trunc(datepart, date) -%}
    date_trunc('{{ datepart }}', {{ date }})
{%- endmacro %}
`,
};
