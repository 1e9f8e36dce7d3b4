// Built-in macro file pii/pii_redact.sql, shipped with pgshift (a project macro of the same name wins).

import type { TextFile } from '../project-files.js';

export const piiRedact: TextFile = {
  path: '<pgshift>/macros/pii/pii_redact.sql',
  text: `{#- pii_redact(expression): '[redacted]' where a value exists, NULL where it does not: keeps
    "was it filled in?" and nothing else. -#}

{% macro pii_redact(expression) -%}
    cast(case when {{ expression }} is not null then '[redacted]' end as varchar(10))
{%- endmacro %}
`,
};
