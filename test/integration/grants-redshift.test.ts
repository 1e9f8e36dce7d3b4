// Governance through the production Redshift adapter (Data API) against the emulator, as far
// as the emulator goes. It is PostgreSQL underneath: the emulator answers SVV_ROLES,
// SVV_SCHEMA_PRIVILEGES and SVV_RELATION_PRIVILEGES from views over aclexplode(), and
// translates Redshift's role grantee (`to role x`) into PostgreSQL's (`to x`).
// What this proves: the Redshift catalog queries, the Redshift statement text, batching in
// transactions, and that the result converges (a second reconcile issues nothing). It cannot
// prove real Redshift: SVV_* contents, scoped permissions, or RBAC semantics.

import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseProject } from '../../src/config/load-project.js';
import { buildGrantPolicy, type GrantPolicy } from '../../src/governance/grant-policy.js';
import { reconcileGrants } from '../../src/governance/reconcile-grants.js';
import type { RedshiftDataWarehouse } from '../../src/warehouse/redshift-data-warehouse.js';
import type { Warehouse } from '../../src/warehouse/warehouse.js';
import { type RedshiftEmulator, startRedshiftEmulator } from '../support/redshift-emulator/index.js';
import { createTestDatabase, type TestDatabase, testPostgresUrl, testS3Endpoint } from '../support/test-env.js';
import { testPool } from '../support/test-pool.js';
import { emulatedWarehouse } from '../support/emulated-redshift.js';
import { queryAs } from '../support/query-as.js';

const PREFIX = `pgsr_${randomBytes(3).toString('hex')}_`;
const role = (name: string): string => `${PREFIX}${name}`;
const MEMBER = `${PREFIX}marketing_user`;

const PROJECT = `name: shop
staging: { bucket: b }
targets: { prod: { type: redshift, schema: analytics, database: dev, cluster_identifier: c, db_user: admin } }
target: prod
governance:
  role_prefix: ${PREFIX}
  roles:
    loader:    { read: [raw], write: [raw, pgshift_meta] }
    marketing: { read: [marts, reports] }
`;

const WAREHOUSE = `
create schema raw;
create schema pgshift_meta;
create schema analytics_marts;
create schema analytics_reports;
create table raw.customers (id int primary key, email text);
insert into raw.customers values (1, 'anna@example.com');
create table pgshift_meta.batches (batch_id text primary key);
create table analytics_marts.dim_customers as select id as customer_id, md5(email) as email_hash from raw.customers;
create view analytics_reports.customer_count as select count(*) as customers from analytics_marts.dim_customers;
`;

describe('grants reconciled through the Redshift Data API (emulator)', () => {
  let db: TestDatabase;
  let admin: pg.Pool;
  let emulator: RedshiftEmulator;
  let redshift: RedshiftDataWarehouse;
  let warehouse: Warehouse;
  let policy: GrantPolicy;
  let firstRun: string[];

  const asMarketing = (sql: string): Promise<string> => queryAs(db.url, MEMBER, sql, 'member');

  beforeAll(async () => {
    db = await createTestDatabase('grants_rs');
    admin = testPool({ connectionString: db.url, max: 2 });
    emulator = await startRedshiftEmulator({ postgresUrl: db.url, s3Endpoint: testS3Endpoint() });
    // The warehouse as pgshift would have built it: owned by the identity it runs as.
    const builder = testPool({ connectionString: db.url, options: emulator.connectionOptions, max: 1 });
    await builder.query(WAREHOUSE).finally(() => builder.end());
    redshift = emulatedWarehouse(emulator, { dbUser: 'admin', iamRole: undefined });
    warehouse = redshift;
    const project = parseProject(PROJECT, 'pgshift.yml');
    policy = buildGrantPolicy({ governance: project.governance, rawSchema: project.rawSchema, targetSchema: 'analytics', dialect: 'redshift' });
    firstRun = await reconcileGrants(warehouse, policy);
    await admin.query(`create role "${MEMBER}" login password 'member'; grant "${role('marketing')}" to "${MEMBER}"`);
  });

  afterAll(async () => {
    await redshift?.close();
    await emulator?.close();
    await admin?.end();
    await db?.drop();
    const server = new pg.Client({ connectionString: testPostgresUrl() });
    await server.connect();
    try {
      for (const name of [MEMBER, role('loader'), role('marketing')]) await server.query(`drop role if exists "${name}"`);
    } finally {
      await server.end();
    }
  });

  it('creates roles and grants in Redshift syntax: ROLE grantees, TABLE objects, no TRUNCATE', () => {
    expect(firstRun).toEqual([
      `create role "${role('loader')}"`,
      `create role "${role('marketing')}"`,
      `grant usage on schema "analytics_marts" to role "${role('marketing')}"`,
      `grant usage on schema "analytics_reports" to role "${role('marketing')}"`,
      `grant usage, create on schema "pgshift_meta" to role "${role('loader')}"`,
      `grant usage, create on schema "raw" to role "${role('loader')}"`,
      `grant select on table "analytics_marts"."dim_customers" to role "${role('marketing')}"`,
      `grant select on table "analytics_reports"."customer_count" to role "${role('marketing')}"`,
      `grant select, insert, update, delete on table "pgshift_meta"."batches" to role "${role('loader')}"`,
      `grant select, insert, update, delete on table "raw"."customers" to role "${role('loader')}"`,
    ]);
  });

  it('read the current state from the SVV views and sent grants in one Data API batch', () => {
    const sent = emulator.statements().map((statement) => statement.sql);
    expect(sent.some((sql) => sql.includes('from svv_roles'))).toBe(true);
    expect(sent.some((sql) => sql.includes('from svv_schema_privileges'))).toBe(true);
    expect(sent.some((sql) => sql.includes('from svv_relation_privileges'))).toBe(true);
    const batchParts = emulator.statements().filter((statement) => statement.id.includes(':') && statement.sql.startsWith('grant'));
    expect(batchParts).toHaveLength(8);
  });

  it('gives the members of a role exactly what was declared', async () => {
    expect(await asMarketing('select * from analytics_reports.customer_count')).toBe('ok');
    expect(await asMarketing('select * from raw.customers')).toBe('42501');
    expect(await asMarketing('delete from analytics_marts.dim_customers')).toBe('42501');
  });

  it('issues nothing on a second reconcile', async () => {
    expect(await reconcileGrants(warehouse, policy)).toEqual([]);
  });

  it('revokes a grant added by hand', async () => {
    await admin.query(`grant select on raw.customers to "${role('marketing')}"`);
    expect(await reconcileGrants(warehouse, policy)).toEqual([`revoke select on table "raw"."customers" from role "${role('marketing')}"`]);
    expect(await reconcileGrants(warehouse, policy)).toEqual([]);
  });

  it('sends Redshift ROLE grantees unchanged to the Data API', () => {
    expect(emulator.statements().some((statement) => / to role "/.test(statement.sql))).toBe(true);
  });
});
