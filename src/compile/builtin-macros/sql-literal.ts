// Built-in macro file cross_db/sql_literal.sql, shipped with pgshift (a project macro of the same name wins).

import type { TextFile } from '../project-files.js';

export const sqlLiteral: TextFile = {
  path: '<pgshift>/macros/cross_db/sql_literal.sql',
  text: String.raw`{#- sql_literal(value): a Nunjucks value as an SQL string literal, single quotes doubled.
    Backslashes are doubled on Redshift, whose string literals treat them as escapes; PostgreSQL
    (standard_conforming_strings, the default since 9.1) takes them literally. -#}

{% macro postgres__sql_literal(value) -%}
    '{{ value | string | replace("'", "''") }}'
{%- endmacro %}

{% macro redshift__sql_literal(value) -%}
    '{{ value | string | replace("\\", "\\\\") | replace("'", "''") }}'
{%- endmacro %}
`,
};
