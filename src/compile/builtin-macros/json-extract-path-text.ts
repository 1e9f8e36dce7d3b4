// Built-in macro file cross_db/json_extract_path_text.sql, shipped with pgshift (a project macro of the same name wins).

import type { TextFile } from '../project-files.js';

export const jsonExtractPathText: TextFile = {
  path: '<pgshift>/macros/cross_db/json_extract_path_text.sql',
  text: String.raw`{#- json_extract_path_text(json_column, 'key', 'nested', …): the text at a path of a JSON
    object stored as text (up to five keys, or one list of keys). Malformed JSON gives NULL
    instead of failing the model.

    Redshift does this itself (null_if_invalid). PostgreSQL 15 has no safe JSON cast, so the
    text must first pass a guard: the top-level object is checked strictly (quoted keys,
    scalar syntax, commas, no trailing garbage), which catches blank, truncated, non-JSON and
    single-quoted values; nested objects and arrays (two levels deep) are only checked for
    balanced brackets, to keep the pattern short. -#}

{#- Patterns in PostgreSQL's regular expression syntax; backslashes are doubled for Nunjucks. -#}
{%- set _ws = '[[:space:]]*' -%}
{%- set _string = '"([^"\\\\[:cntrl:]]|\\\\.)*"' -%}
{%- set _scalar = _string ~ '|-?(0|[1-9][0-9]*)([.][0-9]+)?([eE][+-]?[0-9]+)?|true|false|null' -%}
{%- set _inner_object = '[{]([^][{}"]|' ~ _string ~ ')*[}]' -%}
{%- set _inner_array = '[[]([^][{}"]|' ~ _string ~ ')*[]]' -%}
{%- set _nested = '([^][{}"]|' ~ _string ~ '|' ~ _inner_object ~ '|' ~ _inner_array ~ ')*' -%}
{%- set _value = '(' ~ _scalar ~ '|[{]' ~ _nested ~ '[}]|[[]' ~ _nested ~ '[]])' -%}
{%- set _member = _string ~ _ws ~ ':' ~ _ws ~ _value ~ _ws -%}
{%- set _json_object = '^' ~ _ws ~ '[{]' ~ _ws ~ '(' ~ _member ~ '(,' ~ _ws ~ _member ~ ')*)?[}]' ~ _ws ~ '$' -%}

{% macro _json_path_keys(key1, key2, key3, key4, key5) -%}
    {#- Keys come one per argument, or as one list. -#}
    {%- set keys = key1 if (key1 is iterable and key1 is not string) else [key1, key2, key3, key4, key5] | select | list -%}
    {%- for key in keys -%}
        '{{ key | string | replace("'", "''") }}'{% if not loop.last %}, {% endif %}
    {%- endfor -%}
{%- endmacro %}

{% macro postgres__json_extract_path_text(json_column, key1, key2=none, key3=none, key4=none, key5=none) -%}
    {%- set text_value = 'cast(' ~ json_column ~ ' as text)' -%}
    (case when {{ text_value }} ~ '{{ _json_object }}' then cast({{ text_value }} as jsonb) #>> array[{{ _json_path_keys(key1, key2, key3, key4, key5) }}] end)
{%- endmacro %}

{% macro redshift__json_extract_path_text(json_column, key1, key2=none, key3=none, key4=none, key5=none) -%}
    json_extract_path_text({{ json_column }}, {{ _json_path_keys(key1, key2, key3, key4, key5) }}, true)
{%- endmacro %}
`,
};
