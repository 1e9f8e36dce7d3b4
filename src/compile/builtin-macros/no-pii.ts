// Built-in macro file tests/no_pii.sql, shipped with pgshift (a project macro of the same name wins).

import type { TextFile } from '../project-files.js';

export const noPii: TextFile = {
  path: '<pgshift>/macros/tests/no_pii.sql',
  text: `{#- no_pii: a generic data test that fails when text columns hold personal data: e-mail
    addresses, phone numbers, or payment card numbers that pass the Luhn check. It returns one
    row per column and kind of data found: column_name, pii_type (email, phone, card_number)
    and n_records, the number of rows holding it.

    Columns to scan: templates cannot read a relation's columns while the project compiles, so
    the test scans the columns it is given.
      - Written on a column, it scans that column:
            columns:
              - name: notes
                data_tests: [no_pii]
      - Written on the model, it scans the 'columns' argument (names used exactly as written):
            data_tests:
              - no_pii:
                  columns: [email_hash, segment, notes]
    Both may be combined. Any column type works; values are compared as text.

    Classified columns: when the scanned column's PII class is known (meta.pii in the model's
    schema.yml, or inherited by column lineage from a source or model column that is
    classified), the class's own check runs too and reports pii_type '<class> (classified)':
      phone       a bare run of 7 to 15 digits, + allowed (14033335568)
      birth_date  a full date (a date or timestamp column, 1987-04-12, 12.04.1987)
      email, name, address, free_text, secret
                  any value that is not a masked form: a 64-hex hash, '***' or 'j***@domain',
                  '[redacted]', blank (NULL is never scanned); a value with a line break
                  fails: Redshift calls ^ and $ line anchors (pattern-matching-conditions-posix
                  below), and position(chr(10) in value) reads the same in both warehouses
                  (https://docs.aws.amazon.com/redshift/latest/dg/r_CHR.html,
                  https://docs.aws.amazon.com/redshift/latest/dg/r_POSITION.html)
    Redshift's POSIX operators: https://docs.aws.amazon.com/redshift/latest/dg/pattern-matching-conditions-posix.html

    The patterns are those of src/governance/pii-patterns.ts (which documents them) and a unit
    test keeps the two equal. They are POSIX regular expressions without backslashes, so the
    same text works in PostgreSQL and Redshift. Only the first card-like number of a value is
    Luhn-checked; REGEXP_SUBSTR returns one match, in both warehouses. -#}

{% macro pii_email_pattern() -%}
[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+([.][A-Za-z0-9-]+)*[.][A-Za-z]{2,}
{%- endmacro %}

{% macro pii_phone_pattern() -%}
(^[ ./-]*|[^0-9A-Za-z+ ./-]|[^0-9][ ./-])([+][0-9]{1,3}([ ./-]?[(]?[0-9]{1,4}[)]?){2,5}|[(][0-9]{2,5}[)][ ./-]?[0-9]{2,4}([ ./-]?[0-9]{2,5}){1,2}|0[0-9]{2,4}[ /-][0-9]{3,8}([ -][0-9]{2,5})?|[0-9]{3}[ .-][0-9]{3}[ .-][0-9]{4})($|[^0-9 ./-]|[ ./-]($|[^0-9]))
{%- endmacro %}

{% macro pii_card_pattern() -%}
(^|[^0-9A-Za-z+])[0-9]([ -]?[0-9]){12,18}($|[^0-9A-Za-z])
{%- endmacro %}

{% macro pii_card_digits_pattern() -%}
[0-9]([ -]?[0-9]){12,18}
{%- endmacro %}

{% macro pii_phone_digits_pattern() -%}
(^|[^0-9A-Za-z])[+]?[0-9]{7,15}($|[^0-9A-Za-z])
{%- endmacro %}

{% macro pii_date_pattern() -%}
(^|[^0-9])([0-9]{4}[-/.][0-9]{1,2}[-/.][0-9]{1,2}|[0-9]{1,2}[-/.][0-9]{1,2}[-/.][0-9]{4})($|[^0-9])
{%- endmacro %}

{% macro pii_masked_pattern() -%}
^([0-9A-Fa-f]{64}|[^*@]?[*]{3,}(@[^@]*)?|.redacted.| *)$
{%- endmacro %}

{#- The condition under which a value of a column classified pii_class is personal data in the clear. -#}
{% macro pii_class_check(pii_class) -%}
    {%- if pii_class == 'phone' -%}
        value ~ '{{ pii_phone_digits_pattern() }}'
    {%- elif pii_class == 'birth_date' -%}
        value ~ '{{ pii_date_pattern() }}'
    {%- else -%}
        not (value ~ '{{ pii_masked_pattern() }}') or position(chr(10) in value) > 0
    {%- endif -%}
{%- endmacro %}

{% macro pii_luhn_sum(digits) -%}
    {#- Luhn without loops or series (Redshift runs generate_series on the leader node only):
        one term per position from the right, 19 at most. Every second digit is doubled and
        its digits summed, which '0246813579' looks up by the digit. -#}
    {%- for position in range(1, 20) %}
                {% if not loop.first %}+ {% endif -%}
                case when length({{ digits }}) >= {{ position }} then cast(
                {%- if position % 2 == 0 -%}
                    substring('0246813579', cast(substring({{ digits }}, length({{ digits }}) - {{ position - 1 }}, 1) as integer) + 1, 1)
                {%- else -%}
                    substring({{ digits }}, length({{ digits }}) - {{ position - 1 }}, 1)
                {%- endif %} as integer) else 0 end
    {%- endfor %}
{%- endmacro %}

{% test no_pii(model, column_name=none, columns=none) %}
{%- set scanned = [] -%}
{%- set classified_columns = [] -%}
{%- if column_name -%}
    {%- set _ = scanned.push({'label': column_name, 'sql': column_name, 'pii': pii_class_of(column_name)}) -%}
{%- endif -%}
{%- for column in ([columns] if columns is string else (columns or [])) -%}
    {%- set _ = scanned.push({'label': column, 'sql': adapter.quote(column), 'pii': pii_class_of(column)}) -%}
{%- endfor -%}
{%- for column in scanned -%}
    {%- if column.pii -%}{%- set _ = classified_columns.push(column) -%}{%- endif -%}
{%- endfor -%}
{%- if scanned | length == 0 -%}
    {{ exceptions.raise_compiler_error("no_pii scans the columns it is given: write it on a column, or on the model with columns: [email, notes, ...]") }}
{%- endif -%}
with scanned as (
{%- for column in scanned %}
    select '{{ column.label | replace("'", "''") }}' as column_name, cast({{ column.sql }} as {{ type_string() }}) as value from {{ model }}
    {%- if not loop.last %}
    union all
    {%- endif %}
{%- endfor %}
),
classified as (
    select
        column_name,
        case when value ~ '{{ pii_email_pattern() }}' then 1 else 0 end as is_email,
        case when value ~ '{{ pii_phone_pattern() }}' then 1 else 0 end as is_phone,
        replace(replace(regexp_substr(regexp_substr(value, '{{ pii_card_pattern() }}'), '{{ pii_card_digits_pattern() }}'), ' ', ''), '-', '') as card_digits
    from scanned
    where value is not null
),
checked as (
    select
        column_name,
        is_email,
        is_phone,
        case
            when coalesce(length(card_digits), 0) < 13 then 0
            when mod({{ pii_luhn_sum('card_digits') }}, 10) = 0 then 1
            else 0
        end as is_card
    from classified
),
{%- if classified_columns | length > 0 %}
class_checked as (
{%- for column in classified_columns %}
    select column_name, '{{ column.pii }} (classified)' as pii_type, case when {{ pii_class_check(column.pii) }} then 1 else 0 end as is_classified
    from scanned
    where column_name = '{{ column.label | replace("'", "''") }}' and value is not null
    {%- if not loop.last %}
    union all
    {%- endif %}
{%- endfor %}
),
{%- endif %}
counted as (
    select column_name, 'email' as pii_type, sum(is_email) as n_records from checked group by column_name
    union all
    select column_name, 'phone' as pii_type, sum(is_phone) as n_records from checked group by column_name
    union all
    select column_name, 'card_number' as pii_type, sum(is_card) as n_records from checked group by column_name
    {%- if classified_columns | length > 0 %}
    union all
    select column_name, pii_type, sum(is_classified) as n_records from class_checked group by column_name, pii_type
    {%- endif %}
)
select column_name, pii_type, n_records
from counted
where n_records > 0
{% endtest %}
`,
};
