// Built-in macro file cross_db/run_as_of_date.sql, shipped with pgshift (a project macro of the same name wins).

import type { TextFile } from '../project-files.js';

export const runAsOfDate: TextFile = {
  path: '<pgshift>/macros/cross_db/run_as_of_date.sql',
  text: `{#- run_as_of_date(): the last day the run's interval covers, as an SQL date: D for
    'pgshift run --date D', the day before --end for a backfill. Models that need "today"
    (ages, tenure) use it instead of current_date, so a re-run of a day gives the same rows. -#}

{% macro run_as_of_date() -%}
    cast({{ dateadd('second', -1, interval_timestamp(interval.end)) }} as date)
{%- endmacro %}

{#- interval_timestamp(iso): an interval bound (ISO text in UTC, '2026-11-22T00:00:00.000Z')
    as an SQL timestamp literal both warehouses read the same way. -#}
{% macro interval_timestamp(iso) -%}
    cast('{{ iso.substring(0, 19) | replace("T", " ") }}' as timestamp)
{%- endmacro %}
`,
};
