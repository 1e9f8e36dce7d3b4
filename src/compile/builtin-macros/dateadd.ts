// Built-in macro file cross_db/dateadd.sql, shipped with pgshift (a project macro of the same name wins).

import type { TextFile } from '../project-files.js';

export const dateadd: TextFile = {
  path: '<pgshift>/macros/cross_db/dateadd.sql',
  text: `{#- dateadd(datepart, interval, from_date_or_timestamp): the timestamp 'interval' dateparts
    after the given one. Both warehouses return a timestamp, also for a date input. -#}

{% macro postgres__dateadd(datepart, interval, from_date_or_timestamp) -%}
    {%- set part = datepart | string | lower | trim -%}
    {%- if part not in ['year', 'quarter', 'month', 'week', 'day', 'hour', 'minute', 'second'] -%}
        {{ exceptions.raise_compiler_error("dateadd: unsupported datepart '" ~ datepart ~ "'") }}
    {%- endif -%}
    {#- PostgreSQL intervals know no quarter: three months is the same step. -#}
    (cast({{ from_date_or_timestamp }} as timestamp) + ({{ interval }}) * interval '{{ 3 if part == "quarter" else 1 }} {{ "month" if part == "quarter" else part }}')
{%- endmacro %}

{% macro redshift__dateadd(datepart, interval, from_date_or_timestamp) -%}
    dateadd({{ datepart }}, {{ interval }}, {{ from_date_or_timestamp }})
{%- endmacro %}
`,
};
