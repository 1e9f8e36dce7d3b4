// Built-in macro file cross_db/cast_bool.sql, shipped with pgshift (a project macro of the same name wins).

import type { TextFile } from '../project-files.js';

export const castBool: TextFile = {
  path: '<pgshift>/macros/cross_db/cast_bool.sql',
  text: `{#- cast_bool(expression): text such as 'true', 'f', 'yes', '0' as a boolean; anything else
    is NULL. Written once for both warehouses: neither casts all of these spellings. -#}

{% macro default__cast_bool(expression) -%}
    case
        when lower(trim(cast({{ expression }} as varchar))) in ('true', 't', 'yes', 'y', 'on', '1') then true
        when lower(trim(cast({{ expression }} as varchar))) in ('false', 'f', 'no', 'n', 'off', '0') then false
    end
{%- endmacro %}
`,
};
