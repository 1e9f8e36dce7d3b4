// Built-in macro file pii/pii_mask_email.sql, shipped with pgshift (a project macro of the same name wins).

import type { TextFile } from '../project-files.js';

export const piiMaskEmail: TextFile = {
  path: '<pgshift>/macros/pii/pii_mask_email.sql',
  text: `{#- pii_mask_email(expression): an e-mail address with the local part reduced to its first
    character, 'jane.doe@example.com' → 'j***@example.com': readable enough to recognise a
    domain, useless to contact anyone. Compared in lower case, trimmed. Text without an '@'
    after the first character becomes '***'; NULL and blank give NULL. -#}

{% macro pii_mask_email(expression) -%}
    {%- set email = 'lower(trim(' ~ expression ~ '))' -%}
    case
        when nullif({{ email }}, '') is null then null
        when position('@' in {{ email }}) <= 1 then '***'
        else substring({{ email }} from 1 for 1) || '***@' || split_part({{ email }}, '@', 2)
    end
{%- endmacro %}
`,
};
