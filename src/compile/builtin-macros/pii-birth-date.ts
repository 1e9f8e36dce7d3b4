// Built-in macro file pii/pii_birth_date.sql, shipped with pgshift (a project macro of the same name wins).

import type { TextFile } from '../project-files.js';

export const piiBirthDate: TextFile = {
  path: '<pgshift>/macros/pii/pii_birth_date.sql',
  text: `{#- Birth dates reduced to what analyses need: the year, or the age in whole years and its
    band. Ages are counted on 'as_of' (a date expression; default: the last day the run covers,
    so a re-run of a day gives the same ages), the same way in both warehouses. Compute the age
    once in a CTE and band that column:

        pii_age_years('birth_date') as age_years   →   pii_age_band('age_years') -#}

{% macro pii_birth_year(birth_date) -%}
    cast(extract(year from {{ birth_date }}) as integer)
{%- endmacro %}

{% macro pii_age_years(birth_date, as_of=none) -%}
    {%- set on = as_of if as_of else run_as_of_date() -%}
    {%- set month_day = 'cast(extract(month from {d}) as integer) * 100 + cast(extract(day from {d}) as integer)' -%}
    (
        cast(extract(year from {{ on }}) as integer) - cast(extract(year from {{ birth_date }}) as integer)
        - case when {{ month_day | replace('{d}', on) }} < {{ month_day | replace('{d}', birth_date) }} then 1 else 0 end
    )
{%- endmacro %}

{#- pii_age_band(age_years): 'under 18', '18-24', '25-34', … '65+', or 'unknown'. -#}
{% macro pii_age_band(age_years) -%}
    cast(case
        when {{ age_years }} is null then 'unknown'
        when {{ age_years }} < 18 then 'under 18'
        when {{ age_years }} < 25 then '18-24'
        when {{ age_years }} < 35 then '25-34'
        when {{ age_years }} < 45 then '35-44'
        when {{ age_years }} < 55 then '45-54'
        when {{ age_years }} < 65 then '55-64'
        else '65+'
    end as varchar(8))
{%- endmacro %}
`,
};
