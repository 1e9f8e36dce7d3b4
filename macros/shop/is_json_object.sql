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

{#- cte_materialized(): the keyword that makes PostgreSQL compute a WITH query once. A CTE used
    once is otherwise folded into the query that reads it, and every column computed from
    is_json_object() would then repeat the whole pattern match (about fifteen times per row in
    stg_customers). Redshift's WITH clause has no such keyword.
    https://www.postgresql.org/docs/current/queries-with.html#QUERIES-WITH-CTE-MATERIALIZATION
    https://docs.aws.amazon.com/redshift/latest/dg/r_WITH_clause.html -#}

{% macro postgres__cte_materialized() -%}
    materialized
{%- endmacro %}

{% macro redshift__cte_materialized() -%}
{%- endmacro %}

{#- object_path_text(json_column, 'key', …): json_extract_path_text for text already known to be
    a JSON object (is_json_object() was true), without the built-in macro's own pattern-matched
    guard on PostgreSQL: the text is cast to jsonb directly. Only call it under that check. -#}

{% macro postgres__object_path_text(json_column, key1, key2=none) -%}
    (cast({{ json_column }} as jsonb) #>> array['{{ key1 | replace("'", "''") }}'{% if key2 %}, '{{ key2 | replace("'", "''") }}'{% endif %}])
{%- endmacro %}

{% macro redshift__object_path_text(json_column, key1, key2=none) -%}
    {{ json_extract_path_text(json_column, key1, key2) }}
{%- endmacro %}
