// dbt.date_spine: one row per datepart from start_date (included) up to end_date (excluded). As
// in dbt, the number of rows is asked of the warehouse with a statement block while the model
// renders to run (compiling, it is 1).
// https://docs.getdbt.com/reference/dbt-jinja-functions/cross-database-macros#date_spine

import type { TextFile } from '../../project-files.js';

export const dbtDateSpine: TextFile = {
  path: '<pgshift>/macros/dbt/date_spine.sql',
  text: `{% macro default__get_intervals_between(start_date, end_date, datepart) -%}
    {%- call statement('get_intervals_between', fetch_result=true) %}
        select {{ dbt.datediff(start_date, end_date, datepart) }}
    {%- endcall -%}
    {%- set value_list = load_result('get_intervals_between') -%}
    {%- if value_list and value_list['data'] | length > 0 -%}
        {{ value_list['data'][0][0] }}
    {%- else -%}
        1
    {%- endif -%}
{%- endmacro %}

{#- Rows 1 … upper_bound from cross joins of a two-row table: Redshift runs generate_series on
    the leader node only, so it cannot feed a table
    (https://docs.aws.amazon.com/redshift/latest/dg/c_sql-functions-leader-node.html). Derived
    tables rather than dbt's WITH, which date_spine nests in its own WITH and Redshift refuses
    (https://docs.aws.amazon.com/redshift/latest/dg/r_WITH_clause.html). -#}
{% macro default__generate_series(upper_bound) -%}
    {%- set bound = upper_bound | int -%}
    {%- if bound <= 0 -%}
        {{ exceptions.raise_compiler_error("dbt.generate_series: the upper bound must be positive, got " ~ upper_bound) }}
    {%- endif -%}
    {%- set powers = [] -%}
    {%- for index in range(1, 100) -%}
        {%- if powers | length == 0 and bound <= 2 ** index -%}{%- set _ = powers.push(index) -%}{%- endif -%}
    {%- endfor -%}
    {%- set n = powers[0] %}
    select generated_number
    from (
        select
        {% for i in range(n) -%}
        p{{ i }}.generated_number * power(2, {{ i }}){% if not loop.last %} + {% endif %}
        {% endfor -%}
        + 1
        as generated_number
        from
        {% for i in range(n) -%}
        (select 0 as generated_number union all select 1) as p{{ i }}{% if not loop.last %} cross join {% endif %}
        {% endfor -%}
    ) as unioned
    where generated_number <= {{ bound }}
{%- endmacro %}

{% macro default__date_spine(datepart, start_date, end_date) %}
    with rawdata as (
        {{ dbt.generate_series(dbt.get_intervals_between(start_date, end_date, datepart) | trim) }}
    ),

    all_periods as (
        select (
            {{ dbt.dateadd(datepart, "row_number() over (order by 1) - 1", start_date) }}
        ) as date_{{ datepart }}
        from rawdata
    ),

    filtered as (
        select *
        from all_periods
        where date_{{ datepart }} <= {{ end_date }}
    )

    select * from filtered
{% endmacro %}
`,
};
