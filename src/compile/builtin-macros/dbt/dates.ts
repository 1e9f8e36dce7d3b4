// dbt's cross-database date macros (dbt.date_trunc, dbt.dateadd, dbt.datediff, dbt.last_day,
// dbt.current_timestamp), as dbt-postgres and dbt-redshift define them.
// https://docs.getdbt.com/reference/dbt-jinja-functions/cross-database-macros

import type { TextFile } from '../../project-files.js';

export const dbtDates: TextFile = {
  path: '<pgshift>/macros/dbt/dates.sql',
  text: `{#- Redshift: DATE_TRUNC https://docs.aws.amazon.com/redshift/latest/dg/r_DATE_TRUNC.html -#}
{% macro default__date_trunc(datepart, date) -%}
    date_trunc('{{ datepart }}', {{ date }})
{%- endmacro %}

{% macro postgres__dateadd(datepart, interval, from_date_or_timestamp) -%}
    {#- PostgreSQL intervals know no quarter: dbt's own macro fails there too. -#}
    {{ from_date_or_timestamp }} + ((interval '1 {{ datepart }}') * ({{ interval }}))
{%- endmacro %}

{#- Redshift: DATEADD https://docs.aws.amazon.com/redshift/latest/dg/r_DATEADD_function.html -#}
{% macro redshift__dateadd(datepart, interval, from_date_or_timestamp) -%}
    dateadd({{ datepart }}, {{ interval }}, {{ from_date_or_timestamp }})
{%- endmacro %}

{#- dbt's argument order: first_date, second_date, datepart. PostgreSQL counts boundaries from
    date parts; weeks start on Sunday here (dow), on Monday in Redshift's DATEDIFF. -#}
{% macro postgres__datediff(first_date, second_date, datepart) -%}
    {%- if datepart == 'year' -%}
        (date_part('year', ({{ second_date }})::date) - date_part('year', ({{ first_date }})::date))
    {%- elif datepart == 'quarter' -%}
        ({{ dbt.datediff(first_date, second_date, 'year') }} * 4 + date_part('quarter', ({{ second_date }})::date) - date_part('quarter', ({{ first_date }})::date))
    {%- elif datepart == 'month' -%}
        ({{ dbt.datediff(first_date, second_date, 'year') }} * 12 + date_part('month', ({{ second_date }})::date) - date_part('month', ({{ first_date }})::date))
    {%- elif datepart == 'day' -%}
        (({{ second_date }})::date - ({{ first_date }})::date)
    {%- elif datepart == 'week' -%}
        ({{ dbt.datediff(first_date, second_date, 'day') }} / 7 + case
            when date_part('dow', ({{ first_date }})::timestamp) <= date_part('dow', ({{ second_date }})::timestamp) then
                case when {{ first_date }} <= {{ second_date }} then 0 else -1 end
            else
                case when {{ first_date }} <= {{ second_date }} then 1 else 0 end
        end)
    {%- elif datepart == 'hour' -%}
        ({{ dbt.datediff(first_date, second_date, 'day') }} * 24 + date_part('hour', ({{ second_date }})::timestamp) - date_part('hour', ({{ first_date }})::timestamp))
    {%- elif datepart == 'minute' -%}
        ({{ dbt.datediff(first_date, second_date, 'hour') }} * 60 + date_part('minute', ({{ second_date }})::timestamp) - date_part('minute', ({{ first_date }})::timestamp))
    {%- elif datepart == 'second' -%}
        ({{ dbt.datediff(first_date, second_date, 'minute') }} * 60 + floor(date_part('second', ({{ second_date }})::timestamp)) - floor(date_part('second', ({{ first_date }})::timestamp)))
    {%- else -%}
        {{ exceptions.raise_compiler_error("dbt.datediff: unsupported datepart '" ~ datepart ~ "' for postgres; use year, quarter, month, week, day, hour, minute or second") }}
    {%- endif -%}
{%- endmacro %}

{#- Redshift: DATEDIFF https://docs.aws.amazon.com/redshift/latest/dg/r_DATEDIFF_function.html -#}
{% macro redshift__datediff(first_date, second_date, datepart) -%}
    datediff({{ datepart }}, {{ first_date }}, {{ second_date }})
{%- endmacro %}

{% macro default_last_day(date, datepart) -%}
    cast({{ dbt.dateadd('day', '-1', dbt.dateadd(datepart, '1', dbt.date_trunc(datepart, date))) }} as date)
{%- endmacro %}

{#- Redshift: DATEADD and DATE_TRUNC above, then CAST https://docs.aws.amazon.com/redshift/latest/dg/r_CAST_function.html -#}
{% macro default__last_day(date, datepart) -%}
    {{ dbt.default_last_day(date, datepart) }}
{%- endmacro %}

{% macro postgres__last_day(date, datepart) -%}
    {%- if datepart == 'quarter' -%}
    cast({{ dbt.dateadd('day', '-1', dbt.dateadd('month', '3', dbt.date_trunc(datepart, date))) }} as date)
    {%- else -%}
    {{ dbt.default_last_day(date, datepart) }}
    {%- endif -%}
{%- endmacro %}

{% macro redshift__last_day(date, datepart) -%}
    {{ dbt.default_last_day(date, datepart) }}
{%- endmacro %}

{% macro postgres__current_timestamp() -%}
    now()
{%- endmacro %}

{#- Redshift: GETDATE, the start of the current statement https://docs.aws.amazon.com/redshift/latest/dg/r_GETDATE.html -#}
{% macro redshift__current_timestamp() -%}
    getdate()
{%- endmacro %}
`,
};
