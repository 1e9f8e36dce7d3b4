// Built-in macro file pii/pii_phone_last_four.sql, shipped with pgshift (a project macro of the same name wins).

import type { TextFile } from '../project-files.js';

export const piiPhoneLastFour: TextFile = {
  path: '<pgshift>/macros/pii/pii_phone_last_four.sql',
  text: `{#- pii_phone_last_four(expression): the last four digits of a phone number, whatever its
    formatting ('+49 151 2345678', '0151/2345678' → '5678'), as support staff use them to
    confirm a caller. NULL when the number has fewer than four digits. -#}

{% macro pii_phone_last_four(expression) -%}
    {%- set digits = regexp_replace_all(expression, '[^0-9]', '') -%}
    case when length({{ digits }}) >= 4 then right({{ digits }}, 4) end
{%- endmacro %}
`,
};
