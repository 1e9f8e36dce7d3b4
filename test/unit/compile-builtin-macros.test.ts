// The macros pgshift ships are there in every project: a project with no macros of its own can
// mask PII and run no_pii, its own macro of the same name wins, and the built-in set stands on
// its own (nothing in it calls a macro of the shop project in this repository).

import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { BUILTIN_MACROS } from '../../src/compile/builtin-macros.js';
import type { TestNode } from '../../src/manifest/index.js';
import { bareProject, compile, compiledSql, nodeNamed, type TargetType } from './compile-fixture.js';

const SHOP_MACROS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../macros');

const MASKED = `select
  {{ pii_mask_email('email') }} as email_masked,
  {{ pii_hash('email') }} as email_hash,
  {{ pii_phone_last_four('phone') }} as phone_last_four,
  {{ pii_birth_year('birth_date') }} as birth_year,
  {{ pii_age_band(pii_age_years('birth_date')) }} as age_band,
  {{ pii_redact('notes') }} as notes
from customers`;

const SCHEMA_YML = `version: 2
models:
  - name: dim_customers
    columns:
      - name: notes
        data_tests: [no_pii]
`;

describe('built-in macros', () => {
  it.each<TargetType>(['postgres', 'redshift'])('are callable from a project without macros/ (%s)', async (type) => {
    const files = await bareProject({ 'models/dim_customers.sql': MASKED }, { schemaFiles: { 'models/schema.yml': SCHEMA_YML } });
    expect(files.macros).toEqual([]);
    const manifest = compile(files, type, { env: { PGSHIFT_PII_KEY: 'k3y' } });
    const sql = compiledSql(manifest, 'dim_customers');
    expect(sql).toContain("'***@' || split_part(lower(trim(email)), '@', 2)");
    expect(sql).toContain("'k3y' || '|' ||");
    expect(sql).toContain("'[redacted]'");
    const test = Object.values(manifest.nodes).find((node): node is TestNode => node.resource_type === 'test');
    expect(test?.name).toContain('no_pii');
    expect(test?.compiled_code).toContain("select 'notes' as column_name");
  });

  it('give way to a project macro of the same name', async () => {
    const files = await bareProject(
      { 'models/dim_customers.sql': "select {{ pii_mask_email('email') }} as email_masked from customers" },
      { macros: { 'macros/masking.sql': "{% macro pii_mask_email(expression) -%}\n    'house mask of ' || {{ expression }}\n{%- endmacro %}\n" } },
    );
    expect(compiledSql(compile(files), 'dim_customers')).toBe("select 'house mask of ' || email as email_masked from customers");
  });

  it('call no macro of the shop project', () => {
    const shopMacroNames = readdirSync(SHOP_MACROS, { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.sql'))
      .flatMap((file) => [...readFileSync(path.join(SHOP_MACROS, file), 'utf8').matchAll(/\{%-?\s*macro\s+(\w+)/g)].map((match) => match[1]!))
      .map((name) => name.replace(/^(?:default|postgres|redshift)__/, ''));
    expect(shopMacroNames).toContain('normalize_email');
    for (const file of BUILTIN_MACROS) {
      const code = file.text.replace(/\{#[\s\S]*?#\}/g, '');
      for (const name of shopMacroNames) expect(code, `${file.path} calls ${name}`).not.toMatch(new RegExp(`\\b${name}\\s*\\(`));
    }
  });

  it.each<TargetType>(['postgres', 'redshift'])("source_batches lists a raw table's loaded batches and makes the model depend on it (%s)", async (type) => {
    const files = await bareProject({ 'models/new_orders.sql': "select batch_id from {{ source_batches('shop', 'orders') }} as b" });
    const manifest = compile(files, type);
    expect(compiledSql(manifest, 'new_orders')).toBe(
      "select batch_id from (select batch_id, loaded_at from pgshift_meta.batches where source = 'shop' and table_name = 'orders' and status = 'loaded') as b",
    );
    expect(nodeNamed(manifest, 'new_orders').depends_on.nodes).toEqual(['source.shop.orders']);
  });

  it('source_batches of a table pgshift.yml does not list is an error naming it', async () => {
    const files = await bareProject({ 'models/new_orders.sql': "select * from {{ source_batches('shop', 'ordres') }} as b" });
    expect(() => compile(files)).toThrow(/ordres/);
  });
});
