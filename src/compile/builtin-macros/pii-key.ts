// Built-in macro file pii/pii_key.sql, shipped with pgshift (a project macro of the same name wins).

import { PII_KEY_MISSING_MESSAGE, PROD_TARGET_NAME } from '../../config/pii-key-policy.js';
import type { TextFile } from '../project-files.js';

export const piiKey: TextFile = {
  path: '<pgshift>/macros/pii/pii_key.sql',
  text: `{#- pii_key(): the secret that keys every PII hash, as an SQL string literal.

    It comes from the environment variable PGSHIFT_PII_KEY, never from a file in the project.
    A target named 'prod' refuses to compile without it (every command checks this before it
    starts, in config/pii-key-policy.ts; this check covers a compile called from a script): hashes made with a known key could be
    reversed by hashing candidate e-mail addresses. Other targets fall back to a fixed
    development key, so local runs work out of the box and give stable (but not secret) hashes.

    The key becomes part of the compiled SQL, as any env_var() value does: keep target/ (the
    compiled files and run results) as private as the warehouse credentials. -#}

{% macro pii_key() -%}
    {%- set configured = env_var('PGSHIFT_PII_KEY', '') | trim -%}
    {%- if not configured and target.name == '${PROD_TARGET_NAME}' -%}
        {{ exceptions.raise_compiler_error("${PII_KEY_MISSING_MESSAGE}") }}
    {%- endif -%}
    {{ sql_literal(configured or 'pgshift-development-pii-key') }}
{%- endmacro %}
`,
};
