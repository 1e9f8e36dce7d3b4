// no_pii where the classification says what a column holds, on PostgreSQL and through the
// Redshift Data API emulator: the models are built from their compiled SQL, then the compiled
// no_pii tests run. Values here match none of the generic patterns (bare digit runs, e-mail
// addresses without a top-level domain), so only the class checks can catch them: on a column
// classified in schema.yml, and on mart columns that inherit the class by column lineage.

import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Manifest, ModelNode, TestNode } from '../../src/manifest/index.js';
import { getPostgresConn } from '../../src/connections.js';
import { detectPii } from '../../src/governance/pii-patterns.js';
import { runDataTest } from '../../src/run/materializations/index.js';
import { PostgresWarehouse } from '../../src/warehouse/postgres-warehouse.js';
import type { Warehouse } from '../../src/warehouse/warehouse.js';
import { type RedshiftEmulator, startRedshiftEmulator } from '../support/redshift-emulator/index.js';
import { createTestDatabase, type TestDatabase, testS3Endpoint } from '../support/test-env.js';
import { bareProject, compile, pgshiftYml, type TargetType } from '../unit/compile-fixture.js';
import { testPool } from '../support/test-pool.js';
import { emulatedWarehouse } from '../support/emulated-redshift.js';

const RAW = `
create schema raw;
create table raw.customers (customer_id int, email varchar(100), phone varchar(20), birth_date date, updated_at timestamp);
insert into raw.customers values
  (1, 'Anna@Localhost', '14033335568', '1987-04-12', '2024-03-01 10:00:00'),
  (2, 'ben@intranet', '01715553322', '1990-11-30', '2024-03-01 11:00:00'),
  (3, null, null, null, '2024-03-01 12:00:00');
`;

const PGSHIFT_YML = pgshiftYml().replace(
  'customers: { primary_key: customer_id, cursor: updated_at }',
  'customers: { primary_key: customer_id, cursor: updated_at, pii: { email: email, phone: phone, birth_date: birth_date } }',
);

const MODELS = {
  // Staging keeps the clear values; its phone column is classified in schema.yml as well.
  'models/staging/stg_customers.sql': `{{ config(materialized='table', schema='staging') }}
select customer_id, trim(email) as email, phone, birth_date from {{ source('shop', 'customers') }}`,
  // A mart that masks some columns and forgets others.
  'models/marts/dim_contacts.sql': `{{ config(materialized='table', schema='marts') }}
with customers as (select * from {{ ref('stg_customers') }})
select
    customer_id,
    lower(email) as contact,
    phone,
    birth_date,
    {{ pii_hash('lower(email)') }} as email_hash,
    {{ pii_mask_email('email') }} as email_masked,
    {{ pii_phone_last_four('phone') }} as phone_last_four,
    {{ pii_birth_year('birth_date') }} as birth_year
from customers`,
};

const SCHEMA_YML = `version: 2
models:
  - name: stg_customers
    columns:
      - name: phone
        meta: { pii: phone }
        data_tests: [no_pii]
  - name: dim_contacts
    columns:
      # Declared on the masked columns too: their values must then be masked forms.
      - name: email_hash
        meta: { pii: email }
      - name: email_masked
        meta: { pii: email }
    data_tests:
      - no_pii:
          columns: [contact, phone, birth_date, email_hash, email_masked, phone_last_four, birth_year]
      - no_pii:
          name: dim_contacts_masked_columns_hold_no_pii
          columns: [email_hash, email_masked, phone_last_four, birth_year]
`;

async function compiledProject(type: TargetType): Promise<Manifest> {
  const files = await bareProject(MODELS, { pgshiftYml: PGSHIFT_YML, schemaFiles: { 'models/schema.yml': SCHEMA_YML } });
  return compile(files, type, { env: { PGSHIFT_PII_KEY: 'pii-classes-test-key' } });
}

const testNamed = (manifest: Manifest, match: (test: TestNode) => boolean): TestNode =>
  Object.values(manifest.nodes).find((node): node is TestNode => node.resource_type === 'test' && match(node))!;

type FailureRow = { column_name: string; pii_type: string; n_records: unknown };
const sorted = (rows: FailureRow[]) =>
  rows
    .map((row) => ({ ...row, n_records: Number(row.n_records) }))
    .sort((a, b) => `${a.column_name} ${a.pii_type}`.localeCompare(`${b.column_name} ${b.pii_type}`));

describe.each(['postgres', 'redshift'] as const)('class-aware no_pii on %s', (type) => {
  let db: TestDatabase;
  let emulator: RedshiftEmulator | undefined;
  let warehouse: Warehouse;
  let manifest: Manifest;

  beforeAll(async () => {
    db = await createTestDatabase(`pii_classes_${type}`);
    let builder: pg.Pool;
    if (type === 'postgres') {
      builder = testPool({ connectionString: db.url, max: 1 });
      warehouse = new PostgresWarehouse(getPostgresConn({ connectionString: db.url, max: 2 }), () => {
        throw new Error('no S3 here');
      });
    } else {
      emulator = await startRedshiftEmulator({ postgresUrl: db.url, s3Endpoint: testS3Endpoint() });
      // The raw table as a load would have left it: owned by the identity pgshift runs as.
      builder = testPool({ connectionString: db.url, options: emulator.connectionOptions, max: 1 });
      warehouse = emulatedWarehouse(emulator, { dbUser: 'admin', iamRole: undefined });
    }
    await builder.query(RAW).finally(() => builder.end());
    manifest = await compiledProject(type);
    for (const name of ['stg_customers', 'dim_contacts']) {
      const model = Object.values(manifest.nodes).find((node): node is ModelNode => node.resource_type === 'model' && node.name === name)!;
      await warehouse.execute(`create schema if not exists ${model.relation_name!.split('.')[0]}`);
      await warehouse.execute(`create table ${model.relation_name} as ${model.compiled_code}`);
    }
  });

  afterAll(async () => {
    await warehouse?.close();
    await emulator?.close();
    await db?.drop();
  });

  it('the values match none of the generic patterns', () => {
    for (const value of ['anna@localhost', 'ben@intranet', '14033335568', '01715553322', '1987-04-12']) expect(detectPii(value)).toEqual([]);
  });

  it('fails a column classified phone in schema.yml that holds bare digit runs', async () => {
    const test = testNamed(manifest, (node) => node.attached_node === 'model.shop.stg_customers');
    expect(sorted(await warehouse.query<FailureRow>(test.compiled_code))).toEqual([{ column_name: 'phone', pii_type: 'phone (classified)', n_records: 2 }]);
    expect(await runDataTest(warehouse, test)).toMatchObject({ status: 'fail', failures: 1 });
  });

  it('fails unmasked mart columns by lineage: lower(email) as contact, phone, birth_date', async () => {
    const test = testNamed(manifest, (node) => node.attached_node === 'model.shop.dim_contacts' && node.name !== 'dim_contacts_masked_columns_hold_no_pii');
    expect(sorted(await warehouse.query<FailureRow>(test.compiled_code))).toEqual([
      { column_name: 'birth_date', pii_type: 'birth_date (classified)', n_records: 2 },
      { column_name: 'contact', pii_type: 'email (classified)', n_records: 2 },
      { column_name: 'phone', pii_type: 'phone (classified)', n_records: 2 },
    ]);
  });

  it('passes the masked columns (pii_hash, pii_mask_email, pii_phone_last_four, pii_birth_year), classified or not', async () => {
    const test = testNamed(manifest, (node) => node.name === 'dim_contacts_masked_columns_hold_no_pii');
    expect(await runDataTest(warehouse, test)).toMatchObject({ status: 'pass', failures: 0 });
  });
});
