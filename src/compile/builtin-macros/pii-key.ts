// Built-in macro file pii/pii_key.sql, shipped with pgshift (a project macro of the same name wins).

import type { TextFile } from '../project-files.js';

export const piiKey: TextFile = {
  path: '<pgshift>/macros/pii/pii_key.sql',
  text: `{#- pii_key(): the secret that keys every PII hash, as an SQL string literal.

    It comes from the environment variable PGSHIFT_PII_KEY, never from a file in the project.
    A target named 'prod' refuses to compile without it: hashes made with a known key could be
    reversed by hashing candidate e-mail addresses. Other targets fall back to a fixed
    development key, so local runs work out of the box and give stable (but not secret) hashes.

    The key becomes part of the compiled SQL, as any env_var() value does: keep target/ (the
    compiled files and run results) as private as the warehouse credentials. -#}

{% macro pii_key() -%}
    {%- set configured = env_var('PGSHIFT_PII_KEY', '') | trim -%}
    {%- if not configured and target.name == 'prod' -%}
        {{ exceptions.raise_compiler_error("PGSHIFT_PII_KEY is not set: target 'prod' needs the secret key of the PII hashes. Set PGSHIFT_PII_KEY in the environment (from the secrets store) and compile again; changing the key changes every hashed join key.") }}
    {%- endif -%}
    {{ sql_literal(configured or 'pgshift-development-pii-key') }}
{%- endmacro %}
`,
};
