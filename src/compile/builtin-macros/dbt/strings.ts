// dbt's cross-database string macros: dbt.concat, dbt.hash, dbt.split_part, dbt.position,
// dbt.length, dbt.replace, dbt.right, dbt.escape_single_quotes, dbt.string_literal,
// dbt.cast_bool_to_text, as dbt-postgres and dbt-redshift define them.
// https://docs.getdbt.com/reference/dbt-jinja-functions/cross-database-macros

import type { TextFile } from '../../project-files.js';

export const dbtStrings: TextFile = {
  path: '<pgshift>/macros/dbt/strings.sql',
  text: String.raw`{#- Redshift: the || operator https://docs.aws.amazon.com/redshift/latest/dg/r_concat_op.html -#}
{% macro default__concat(fields) -%}
    {{ fields | join(' || ') }}
{%- endmacro %}

{% macro postgres__hash(field) -%}
    md5(cast({{ field }} as {{ dbt.type_string() }}))
{%- endmacro %}

{#- Redshift: MD5 https://docs.aws.amazon.com/redshift/latest/dg/r_MD5.html. Cast to
    varchar(max), not dbt's varchar (256 characters), so long values hash whole and alike in
    both warehouses (https://docs.aws.amazon.com/redshift/latest/dg/r_Character_types.html). -#}
{% macro redshift__hash(field) -%}
    md5(cast({{ field }} as varchar(max)))
{%- endmacro %}

{#- Redshift: SPLIT_PART https://docs.aws.amazon.com/redshift/latest/dg/SPLIT_PART.html -#}
{% macro default__split_part(string_text, delimiter_text, part_number) -%}
    split_part({{ string_text }}, {{ delimiter_text }}, {{ part_number }})
{%- endmacro %}

{#- A negative part counts from the end: the number of delimiters tells which part that is.
    dbt divides by nothing (one-character delimiters); the division keeps longer ones right. -#}
{% macro negative_split_part(string_text, delimiter_text, part_number) -%}
    split_part({{ string_text }}, {{ delimiter_text }},
        (length({{ string_text }}) - length(replace({{ string_text }}, {{ delimiter_text }}, ''))) / length({{ delimiter_text }}) + 2 + {{ part_number }})
{%- endmacro %}

{% macro postgres__split_part(string_text, delimiter_text, part_number) -%}
    {%- if part_number >= 0 -%}
        {{ dbt.default__split_part(string_text, delimiter_text, part_number) }}
    {%- else -%}
        {{ dbt.negative_split_part(string_text, delimiter_text, part_number) }}
    {%- endif -%}
{%- endmacro %}

{#- Redshift: POSITION https://docs.aws.amazon.com/redshift/latest/dg/r_POSITION.html -#}
{% macro default__position(substring_text, string_text) -%}
    position({{ substring_text }} in {{ string_text }})
{%- endmacro %}

{% macro default__length(expression) -%}
    length({{ expression }})
{%- endmacro %}

{#- Redshift: LEN https://docs.aws.amazon.com/redshift/latest/dg/r_LEN.html -#}
{% macro redshift__length(expression) -%}
    len({{ expression }})
{%- endmacro %}

{#- Redshift: REPLACE https://docs.aws.amazon.com/redshift/latest/dg/r_REPLACE.html -#}
{% macro default__replace(field, old_chars, new_chars) -%}
    replace({{ field }}, {{ old_chars }}, {{ new_chars }})
{%- endmacro %}

{#- Redshift: RIGHT https://docs.aws.amazon.com/redshift/latest/dg/r_LEFT.html -#}
{% macro default__right(string_text, length_expression) -%}
    right({{ string_text }}, {{ length_expression }})
{%- endmacro %}

{#- Both warehouses take a quote doubled inside a literal
    (https://docs.aws.amazon.com/redshift/latest/dg/r_Literals.html). -#}
{% macro default__escape_single_quotes(expression) -%}
    {{ expression | string | replace("'", "''") }}
{%- endmacro %}

{#- dbt writes the value between quotes as it is; quotes in it are doubled here so that a value
    such as O'Brien stays one literal. -#}
{% macro postgres__string_literal(value) -%}
    '{{ value | string | replace("'", "''") }}'
{%- endmacro %}

{#- Redshift reads a backslash in a literal as an escape, so it is doubled too
    (https://docs.aws.amazon.com/redshift/latest/dg/r_Literals.html). -#}
{% macro redshift__string_literal(value) -%}
    '{{ value | string | replace("\\", "\\\\") | replace("'", "''") }}'
{%- endmacro %}

{% macro postgres__cast_bool_to_text(field) -%}
    cast({{ field }} as {{ dbt.type_string() }})
{%- endmacro %}

{#- Redshift cannot cast a BOOLEAN to a character type
    (https://docs.aws.amazon.com/redshift/latest/dg/r_Boolean_type.html); CASE spells it. -#}
{% macro redshift__cast_bool_to_text(field) -%}
    case
        when {{ field }} is true then 'true'
        when {{ field }} is false then 'false'
    end::text
{%- endmacro %}
`,
};
