// The PII checks against real warehouses: the no_pii data test as the runner executes it, the
// scanner, and the TypeScript patterns must agree row for row, on PostgreSQL and through the
// Redshift Data API emulator (PostgreSQL underneath, running the Redshift-flavoured SQL).

import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestNode } from '../../src/manifest/index.js';
import { getPostgresConn } from '../../src/connections.js';
import { detectPii, PII_KINDS } from '../../src/governance/pii-patterns.js';
import { scanForPii } from '../../src/governance/scan-for-pii.js';
import { runDataTest } from '../../src/run/materializations/index.js';
import { PostgresWarehouse } from '../../src/warehouse/postgres-warehouse.js';
import type { Warehouse } from '../../src/warehouse/warehouse.js';
import { type RedshiftEmulator, startRedshiftEmulator } from '../support/redshift-emulator/index.js';
import { createTestDatabase, type TestDatabase, testS3Endpoint } from '../support/test-env.js';
import { bareProject, compile, type TargetType } from '../unit/compile-fixture.js';
import { testPool } from '../support/test-pool.js';
import { emulatedWarehouse } from '../support/emulated-redshift.js';

// A mart whose masking went wrong in places: hashed e-mails are fine, the notes leak.
const MART = `
create schema analytics_marts;
create table analytics_marts.dim_customers (customer_id int, email_hash text, segment varchar(20), notes text, lifetime_value numeric(12, 2));
insert into analytics_marts.dim_customers values
  (1, md5('anna@example.com'), 'loyal', 'prefers e-mail: anna@example.com', 120.00),
  (2, md5('ben@example.org'), 'new', 'call +49 151 2345678 after 6', 15.50),
  (3, md5('cara@example.net'), 'new', 'paid with 4111 1111 1111 1111', 99.00),
  (4, md5('dan@example.com'), 'loyal', 'order ORD-2024-000123 of 2024-03-02, ref 4111111111111112', 10.00),
  (5, md5('eve@example.com'), '(030) 123-456', null, 0.00),
  (6, md5('finn@example.com'), 'vip', 'mail finn@example.com or 0151/2345678, card 5500-0000-0000-0004', 500.00);
`;

const SCHEMA_YML = `version: 2
models:
  - name: dim_customers
    data_tests:
      - no_pii:
          columns: [email_hash, segment, notes]
`;

async function compiledNoPiiTest(type: TargetType): Promise<TestNode> {
  const files = await bareProject(
    { 'models/marts/dim_customers.sql': "{{ config(schema='marts') }}\nselect 1 as customer_id" },
    { schemaFiles: { 'models/marts/schema.yml': SCHEMA_YML } },
  );
  const manifest = compile(files, type);
  return Object.values(manifest.nodes).find((node): node is TestNode => node.resource_type === 'test')!;
}

/** The counts the TypeScript patterns give for the same rows. */
async function countsInTypeScript(db: pg.Pool, columns: readonly string[]): Promise<Record<string, Record<string, number>>> {
  const { rows } = await db.query<Record<string, string | null>>(`select ${columns.join(', ')} from analytics_marts.dim_customers`);
  const counts: Record<string, Record<string, number>> = {};
  for (const column of columns) {
    counts[column] = Object.fromEntries(PII_KINDS.map((kind) => [kind, 0]));
    for (const row of rows) for (const kind of detectPii(row[column] ?? '')) counts[column]![kind]!++;
  }
  return counts;
}

const EXPECTED = {
  email_hash: { email: 0, phone: 0, card_number: 0 },
  segment: { email: 0, phone: 1, card_number: 0 },
  notes: { email: 2, phone: 2, card_number: 2 },
};

describe.each(['postgres', 'redshift'] as const)('PII checks on %s', (type) => {
  let db: TestDatabase;
  let admin: pg.Pool;
  let emulator: RedshiftEmulator | undefined;
  let warehouse: Warehouse;

  beforeAll(async () => {
    db = await createTestDatabase(`pii_${type}`);
    admin = testPool({ connectionString: db.url, max: 2 });
    if (type === 'postgres') {
      await admin.query(MART);
      warehouse = new PostgresWarehouse(getPostgresConn({ connectionString: db.url, max: 2 }), () => {
        throw new Error('no S3 here');
      });
      return;
    }
    emulator = await startRedshiftEmulator({ postgresUrl: db.url, s3Endpoint: testS3Endpoint() });
    // The mart as pgshift would have built it: owned by the identity it runs as.
    const builder = testPool({ connectionString: db.url, options: emulator.connectionOptions, max: 1 });
    await builder.query(MART).finally(() => builder.end());
    warehouse = emulatedWarehouse(emulator, { dbUser: 'admin', iamRole: undefined });
  });

  afterAll(async () => {
    await warehouse?.close();
    await emulator?.close();
    await admin?.end();
    await db?.drop();
  });

  it('the scanner counts rows per column and kind, every text column when none are named', async () => {
    const scan = await scanForPii(warehouse, { schema: 'analytics_marts', name: 'dim_customers' });
    expect(Object.fromEntries(scan.map((column) => [column.column, column.counts]))).toEqual(EXPECTED);
  });

  it('the TypeScript patterns find the same on the same rows', async () => {
    expect(await countsInTypeScript(admin, ['email_hash', 'segment', 'notes'])).toEqual(EXPECTED);
  });

  it('the no_pii test fails with one row per leaking column and kind', async () => {
    const test = await compiledNoPiiTest(type);
    const rows = await warehouse.query<{ column_name: string; pii_type: string; n_records: unknown }>(test.compiled_code);
    expect(
      rows
        .map((row) => ({ ...row, n_records: Number(row.n_records) }))
        .sort((a, b) => `${a.column_name}${a.pii_type}`.localeCompare(`${b.column_name}${b.pii_type}`)),
    ).toEqual([
      { column_name: 'notes', pii_type: 'card_number', n_records: 2 },
      { column_name: 'notes', pii_type: 'email', n_records: 2 },
      { column_name: 'notes', pii_type: 'phone', n_records: 2 },
      { column_name: 'segment', pii_type: 'phone', n_records: 1 },
    ]);
    expect(await runDataTest(warehouse, test)).toMatchObject({ status: 'fail', failures: 4 });
  });

  it('passes once the leaking column is masked', async () => {
    const test = await compiledNoPiiTest(type);
    await admin.query(`update analytics_marts.dim_customers set notes = md5(notes), segment = 'masked'`);
    try {
      expect(await runDataTest(warehouse, test)).toMatchObject({ status: 'pass', failures: 0 });
    } finally {
      await admin.query('drop table analytics_marts.dim_customers');
      await admin.query(MART.replace('create schema analytics_marts;', ''));
    }
  });
});
