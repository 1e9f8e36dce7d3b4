// Built-in macro file pii/pii_hash.sql, shipped with pgshift (a project macro of the same name wins).

import type { TextFile } from '../project-files.js';

export const piiHash: TextFile = {
  path: '<pgshift>/macros/pii/pii_hash.sql',
  text: `{#- pii_hash(expression): a keyed SHA-256 of a text value as 64 lowercase hex digits, the
    same in PostgreSQL and Redshift for the same input and key (salted: sha256(key || '|' ||
    value)). A stable pseudonym to join and count on without the clear value; NULL stays NULL.

    Normalise the value before hashing (pii_hash('lower(trim(email))')) so that spellings of
    the same address give the same hash. Non-text values are cast to text first; pass dates and
    numbers as their canonical text yourself if the two warehouses could print them differently. -#}

{% macro pii_hash(expression) -%}
    {{ hash(pii_key() ~ " || '|' || cast(" ~ expression ~ " as " ~ type_string() ~ ")") }}
{%- endmacro %}
`,
};
