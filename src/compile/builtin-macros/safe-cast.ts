// Built-in macro file cross_db/safe_cast.sql, shipped with pgshift (a project macro of the same name wins).

import type { TextFile } from '../project-files.js';

export const safeCast: TextFile = {
  path: '<pgshift>/macros/cross_db/safe_cast.sql',
  text: `{#- safe_cast(expression, type): the value cast to type, or NULL when it does not convert,
    instead of failing the whole model on one bad row. Blank strings give NULL. -#}

{% macro _pg_guarded_cast(text_value, pattern, cast_to) -%}
    case when {{ text_value }} ~ '{{ pattern }}' then cast({{ text_value }} as {{ cast_to }}) end
{%- endmacro %}

{% macro postgres__safe_cast(expression, type) -%}
    {#- PostgreSQL 15 has no try_cast or pg_input_is_valid: each type gets a guard that only
        lets through text the cast accepts. CASE is the one construct whose evaluation order
        PostgreSQL guarantees, so the checks nest instead of being joined with AND. -#}
    {%- set t = type | string | lower | trim -%}
    {%- set v = 'trim(cast(' ~ expression ~ ' as text))' -%}
    {%- set integer_ranges = {
        'smallint': ['-32768', '32767'], 'int2': ['-32768', '32767'],
        'integer': ['-2147483648', '2147483647'], 'int': ['-2147483648', '2147483647'], 'int4': ['-2147483648', '2147483647'],
        'bigint': ['-9223372036854775808', '9223372036854775807'], 'int8': ['-9223372036854775808', '9223372036854775807']
    } -%}
    {%- set number_pattern = '^[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][+-]?[0-9]+)?$' -%}
    {%- set date_part = '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])' -%}
    {%- set time_part = '([ T]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9]([.][0-9]{1,6})?)?)?([Zz]|[+-][0-9]{2}(:?[0-9]{2})?)?$' -%}
    {%- if integer_ranges[t] is defined -%}
        case when {{ v }} ~ '^[+-]?[0-9]{1,20}$' then
            case when cast({{ v }} as numeric) between {{ integer_ranges[t][0] }} and {{ integer_ranges[t][1] }} then cast({{ v }} as {{ type }}) end
        end
    {%- elif (t.startsWith('numeric') or t.startsWith('decimal')) and '(' in t -%}
        {#- numeric(p, s) holds absolute values below 10^(p - s) once rounded to s places. -#}
        {%- set modifiers = t.replace(')', '').split('(')[1].split(',') -%}
        {%- set precision = modifiers[0] | trim | int -%}
        {%- set scale = (modifiers[1] | trim | int) if modifiers | length > 1 else 0 -%}
        case when {{ v }} ~ '{{ number_pattern }}' then
            case when abs(round(cast({{ v }} as numeric), {{ scale }})) < 1e{{ precision - scale }} then cast({{ v }} as {{ type }}) end
        end
    {%- elif t in ['numeric', 'decimal', 'real', 'float', 'float4', 'float8', 'double precision'] -%}
        {{ _pg_guarded_cast(v, number_pattern, type) }}
    {%- elif t == 'date' or t.startsWith('timestamp') -%}
        {#- The pattern cannot know month lengths; the inner CASE rejects 2024-02-30. -#}
        case when {{ v }} ~ '{{ date_part }}{{ time_part }}' then
            case when cast(substr({{ v }}, 9, 2) as integer) <= extract(day from cast(substr({{ v }}, 1, 7) || '-01' as date) + interval '1 month' - interval '1 day')
            then cast({{ v }} as {{ type }}) end
        end
    {%- elif t in ['boolean', 'bool'] -%}
        {{ cast_bool(expression) }}
    {%- else -%}
        cast({{ expression }} as {{ type }})
    {%- endif -%}
{%- endmacro %}

{% macro redshift__safe_cast(expression, type) -%}
    {%- set t = type | string | lower | trim -%}
    {%- if t in ['boolean', 'bool'] -%}
        {#- TRY_CAST does not convert text to BOOLEAN. -#}
        {{ cast_bool(expression) }}
    {%- else -%}
        {#- TRY_CAST rejects blank strings instead of returning NULL, hence nullif. -#}
        try_cast(nullif(trim({{ expression }}), '') as {{ type }})
    {%- endif -%}
{%- endmacro %}
`,
};
