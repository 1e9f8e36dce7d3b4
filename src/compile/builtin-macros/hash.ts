// Built-in macro file cross_db/hash.sql, shipped with pgshift (a project macro of the same name wins).

import type { TextFile } from '../project-files.js';

export const hash: TextFile = {
  path: '<pgshift>/macros/cross_db/hash.sql',
  text: `{#- hash(expression): SHA-256 of the value's text as 64 lowercase hex digits, identical in
    both warehouses, so masked keys still join across them. NULL stays NULL. -#}

{% macro postgres__hash(expression) -%}
    encode(sha256(convert_to(cast({{ expression }} as text), 'UTF8')), 'hex')
{%- endmacro %}

{% macro redshift__hash(expression) -%}
    {#- A plain varchar cast would cut the text at 256 characters. -#}
    sha2(cast({{ expression }} as varchar(65535)), 256)
{%- endmacro %}
`,
};
