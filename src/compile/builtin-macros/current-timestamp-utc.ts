// Built-in macro file cross_db/current_timestamp_utc.sql, shipped with pgshift (a project macro of the same name wins).

import type { TextFile } from '../project-files.js';

export const currentTimestampUtc: TextFile = {
  path: '<pgshift>/macros/cross_db/current_timestamp_utc.sql',
  text: `{#- current_timestamp_utc(): now in UTC as a timestamp without time zone. -#}

{% macro postgres__current_timestamp_utc() -%}
    cast(now() at time zone 'utc' as timestamp)
{%- endmacro %}

{% macro redshift__current_timestamp_utc() -%}
    {#- Redshift sessions run in UTC; getdate() is the statement's start time. -#}
    getdate()
{%- endmacro %}
`,
};
