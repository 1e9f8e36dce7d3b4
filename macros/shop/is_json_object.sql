{#- is_json_object(expression): true when the text is a well-formed JSON object, false when it
    is not (truncated, single-quoted, a trailing comma, not JSON at all, or JSON that is not an
    object), NULL for NULL. Never fails, so one bad row cannot stop a model.

    Redshift checks with IS_VALID_JSON (which already rejects arrays and scalars). PostgreSQL 15
    has neither IS JSON nor pg_input_is_valid, and a failed cast aborts the statement, so the
    text is matched against the JSON grammar written as a regular expression instead: strict
    for strings (escapes included), numbers, literals, commas and colons, for objects and arrays
    nested up to three levels (top-level object included). Deeper nesting is reported as not an
    object here though Redshift would accept it; addresses are two levels deep. -#}

{#- PostgreSQL ARE syntax; every backslash is doubled for Nunjucks. -#}
{%- set _ws = '[[:space:]]*' -%}
{%- set _string = '"([^"\\\\[:cntrl:]]|\\\\["\\\\/bfnrt]|\\\\u[0-9a-fA-F]{4})*"' -%}
{%- set _number = '-?(0|[1-9][0-9]*)([.][0-9]+)?([eE][+-]?[0-9]+)?' -%}
{%- set _scalar = '(' ~ _string ~ '|' ~ _number ~ '|true|false|null)' -%}

{% macro _json_containers(value) -%}
    {#- An object or an array whose members are `value`. -#}
    {%- set member = _string ~ _ws ~ ':' ~ _ws ~ value -%}
    [{]{{ _ws }}({{ member }}{{ _ws }}(,{{ _ws }}{{ member }}{{ _ws }})*)?[}]|[[]{{ _ws }}({{ value }}{{ _ws }}(,{{ _ws }}{{ value }}{{ _ws }})*)?[]]
{%- endmacro %}

{% macro _json_object_pattern() -%}
    {%- set level3 = '(' ~ _scalar ~ '|' ~ _json_containers(_scalar) ~ ')' -%}
    {%- set level2 = '(' ~ _scalar ~ '|' ~ _json_containers(level3) ~ ')' -%}
    {%- set member = _string ~ _ws ~ ':' ~ _ws ~ level2 -%}
    ^{{ _ws }}[{]{{ _ws }}({{ member }}{{ _ws }}(,{{ _ws }}{{ member }}{{ _ws }})*)?[}]{{ _ws }}$
{%- endmacro %}

{% macro postgres__is_json_object(expression) -%}
    (cast({{ expression }} as text) ~ '{{ _json_object_pattern() }}')
{%- endmacro %}

{% macro redshift__is_json_object(expression) -%}
    {#- IS_VALID_JSON is true for objects only; the CASE keeps NULL as NULL. -#}
    (case when {{ expression }} is not null then is_valid_json({{ expression }}) end)
{%- endmacro %}
