// Built-in macro file cross_db/datediff.sql, shipped with pgshift (a project macro of the same name wins).

import type { TextFile } from '../project-files.js';

export const datediff: TextFile = {
  path: '<pgshift>/macros/cross_db/datediff.sql',
  text: `{#- datediff(datepart, first, second): how many datepart boundaries lie between two dates or
    timestamps, as Redshift's DATEDIFF counts them (2024-01-31 to 2024-02-01 is one month).
    Weeks start on Monday, as date_trunc('week', …) does in both warehouses. -#}

{% macro postgres__datediff(datepart, first_date, second_date) -%}
    {%- set part = datepart | string | lower | trim -%}
    {%- set a = 'cast(' ~ first_date ~ ' as timestamp)' -%}
    {%- set b = 'cast(' ~ second_date ~ ' as timestamp)' -%}
    {%- set years = "(date_part('year', " ~ b ~ ") - date_part('year', " ~ a ~ "))" -%}
    {%- if part == 'year' -%}
        cast({{ years }} as bigint)
    {%- elif part == 'quarter' -%}
        cast({{ years }} * 4 + date_part('quarter', {{ b }}) - date_part('quarter', {{ a }}) as bigint)
    {%- elif part == 'month' -%}
        cast({{ years }} * 12 + date_part('month', {{ b }}) - date_part('month', {{ a }}) as bigint)
    {%- elif part == 'week' -%}
        cast((cast(date_trunc('week', {{ b }}) as date) - cast(date_trunc('week', {{ a }}) as date)) / 7 as bigint)
    {%- elif part == 'day' -%}
        cast(cast({{ b }} as date) - cast({{ a }} as date) as bigint)
    {%- elif part in ['hour', 'minute', 'second'] -%}
        {%- set seconds = {'hour': 3600, 'minute': 60, 'second': 1}[part] -%}
        cast(extract(epoch from date_trunc('{{ part }}', {{ b }}) - date_trunc('{{ part }}', {{ a }})) / {{ seconds }} as bigint)
    {%- else -%}
        {{ exceptions.raise_compiler_error("datediff: unsupported datepart '" ~ datepart ~ "'") }}
    {%- endif -%}
{%- endmacro %}

{% macro redshift__datediff(datepart, first_date, second_date) -%}
    datediff({{ datepart }}, {{ first_date }}, {{ second_date }})
{%- endmacro %}
`,
};
