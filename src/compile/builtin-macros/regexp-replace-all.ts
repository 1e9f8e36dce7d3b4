// Built-in macro file cross_db/regexp_replace_all.sql, shipped with pgshift (a project macro of the same name wins).

import type { TextFile } from '../project-files.js';

export const regexpReplaceAll: TextFile = {
  path: '<pgshift>/macros/cross_db/regexp_replace_all.sql',
  text: String.raw`{#- regexp_replace_all(expression, pattern, replacement): every match of a POSIX pattern
    replaced. Redshift's REGEXP_REPLACE replaces every match by default and takes a position
    as its fourth argument; PostgreSQL's replaces only the first match unless given the 'g'
    flag. Keep patterns to the POSIX subset both engines read the same way (bracket
    expressions, classes such as [:digit:], no back references, no \d). -#}

{% macro postgres__regexp_replace_all(expression, pattern, replacement) -%}
    regexp_replace({{ expression }}, '{{ pattern }}', '{{ replacement }}', 'g')
{%- endmacro %}

{% macro redshift__regexp_replace_all(expression, pattern, replacement) -%}
    regexp_replace({{ expression }}, '{{ pattern }}', '{{ replacement }}')
{%- endmacro %}
`,
};
