// Built-in macro file cross_db/types.sql, shipped with pgshift (a project macro of the same name wins).

import type { TextFile } from '../project-files.js';

export const types: TextFile = {
  path: '<pgshift>/macros/cross_db/types.sql',
  text: `{#- Column types that mean the same in both warehouses. -#}

{% macro postgres__type_string() -%}
    text
{%- endmacro %}

{% macro redshift__type_string() -%}
    {#- Redshift's text and varchar mean varchar(256); long values would not fit. -#}
    varchar(65535)
{%- endmacro %}

{% macro default__type_timestamp() -%}
    timestamp
{%- endmacro %}

{% macro default__type_bigint() -%}
    bigint
{%- endmacro %}
`,
};
