// Governance on a real PostgreSQL warehouse: reconcile the declared roles, then log in as a
// member of each role and prove what it can and cannot do. Roles are cluster-wide in
// PostgreSQL, so every role this file creates carries a random prefix and is dropped at the end.

import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseProject } from '../../src/config/load-project.js';
import { getPostgresConn } from '../../src/connections.js';
import { buildGrantPolicy, type GrantableNode, type GrantPolicy } from '../../src/governance/grant-policy.js';
import { reconcileGrants } from '../../src/governance/reconcile-grants.js';
import { PostgresWarehouse } from '../../src/warehouse/postgres-warehouse.js';
import { createTestDatabase, type TestDatabase, testPostgresUrl } from '../support/test-env.js';
import { testPool } from '../support/test-pool.js';
import { queryAs } from '../support/query-as.js';

const PREFIX = `pgst_${randomBytes(3).toString('hex')}_`;
const ROLES = ['loader', 'engineer', 'marketing', 'pii_admin'] as const;
type RoleName = (typeof ROLES)[number];
const role = (name: string): string => `${PREFIX}${name}`;
const userOf = (name: RoleName): string => `${PREFIX}${name}_user`;
const OUTSIDER = role('outsider');

const PROJECT = `name: shop
staging: { bucket: b }
targets: { dev: { type: postgres, schema: analytics } }
governance:
  role_prefix: ${PREFIX}
  roles:
    loader:    { description: extract and load, read: [raw], write: [raw, pgshift_meta] }
    engineer:  { read: [raw, staging, marts, reports] }
    marketing: { read: [marts, reports] }
    pii_admin: { read: [raw, staging, marts, reports] }
`;

const WAREHOUSE = `
create schema raw;
create schema pgshift_meta;
create schema analytics;
create schema analytics_staging;
create schema analytics_marts;
create schema analytics_reports;
create table raw.customers (id int primary key, email text, phone text);
insert into raw.customers values (1, 'anna@example.com', '+49 151 2345678'), (2, 'ben@example.org', '0151/7654321');
create table raw.orders (id int primary key, customer_id int, amount numeric(12, 2));
insert into raw.orders values (10, 1, 25.00);
create table pgshift_meta.batches (batch_id text primary key, rows int);
create view analytics_staging.stg_customers as select id as customer_id, email, phone from raw.customers;
create table analytics_marts.dim_customers as select id as customer_id, md5(email) as email_hash from raw.customers;
create table analytics_reports.daily_sales as select date '2026-11-23' as day, 25.00::numeric(12, 2) as revenue;
create table analytics.customer_ltv as select 1 as customer_id, 25.00::numeric(12, 2) as ltv;
create table analytics.internal_notes as select 1 as customer_id, 'called twice' as note;
`;

function model(name: string, schema: string, grants: Record<string, string[]> = {}): GrantableNode {
  return {
    unique_id: `model.shop.${name}`,
    schema,
    alias: name,
    relation_name: `"${schema}"."${name}"`,
    original_file_path: `models/${name}.sql`,
    config: { grants },
  };
}

describe('grants reconciled on PostgreSQL', () => {
  let db: TestDatabase;
  let admin: pg.Pool;
  let warehouse: PostgresWarehouse;
  let policy: GrantPolicy;
  let firstRun: string[];

  /** Runs `sql` logged in as the member of `name`: 'ok', or the SQLSTATE it failed with. */
  const as = (name: RoleName, sql: string): Promise<string> => queryAs(db.url, userOf(name), sql, 'member');
  const reconcile = (): Promise<string[]> => reconcileGrants(warehouse, policy);

  beforeAll(async () => {
    db = await createTestDatabase('grants');
    admin = testPool({ connectionString: db.url, max: 2 });
    await admin.query(WAREHOUSE);
    warehouse = new PostgresWarehouse(getPostgresConn({ connectionString: db.url, max: 4 }), () => {
      throw new Error('governance never touches S3');
    });
    const project = parseProject(PROJECT, 'pgshift.yml');
    policy = buildGrantPolicy({
      governance: project.governance,
      rawSchema: project.rawSchema,
      targetSchema: 'analytics',
      dialect: 'postgres',
      nodes: [
        model('stg_customers', 'analytics_staging'),
        model('dim_customers', 'analytics_marts'),
        model('daily_sales', 'analytics_reports'),
        // The target schema is no role's to read; this model's grants open just this table.
        model('customer_ltv', 'analytics', { select: ['marketing'] }),
      ],
    });
    firstRun = await reconcile();
    // People log in as users who are members of a managed role; pgshift never manages users.
    for (const name of ROLES) {
      await admin.query(`create role "${userOf(name)}" login password 'member'; grant "${role(name)}" to "${userOf(name)}"`);
    }
    await admin.query(`create role "${OUTSIDER}" nologin; grant usage on schema raw to "${OUTSIDER}"; grant select on raw.customers to "${OUTSIDER}"`);
  });

  afterAll(async () => {
    await warehouse?.close();
    await admin?.end();
    await db?.drop();
    // Dropping the database took the roles' privileges with it; the roles themselves are cluster-wide.
    const server = new pg.Client({ connectionString: testPostgresUrl() });
    await server.connect();
    try {
      for (const name of [...ROLES.map(userOf), ...ROLES.map(role), OUTSIDER]) await server.query(`drop role if exists "${name}"`);
    } finally {
      await server.end();
    }
  });

  it('creates the declared roles, without login', async () => {
    expect(firstRun.filter((sql) => sql.startsWith('create role'))).toEqual(
      ['engineer', 'loader', 'marketing', 'pii_admin'].map((name) => `create role "${role(name)}" nologin`),
    );
    const { rows } = await admin.query('select rolname, rolcanlogin from pg_roles where rolname = any($1) order by rolname', [ROLES.map(role)]);
    expect(rows).toEqual(['engineer', 'loader', 'marketing', 'pii_admin'].map((name) => ({ rolname: role(name), rolcanlogin: false })));
  });

  describe('marketing', () => {
    it('reads the report and mart tables, and the model granted to it', async () => {
      expect(await as('marketing', 'select * from analytics_reports.daily_sales')).toBe('ok');
      expect(await as('marketing', 'select * from analytics_marts.dim_customers')).toBe('ok');
      expect(await as('marketing', 'select * from analytics.customer_ltv')).toBe('ok');
    });

    it('is denied raw customers, the unmasked staging model and the rest of the target schema', async () => {
      expect(await as('marketing', 'select * from raw.customers')).toBe('42501');
      expect(await as('marketing', 'select * from analytics_staging.stg_customers')).toBe('42501');
      expect(await as('marketing', 'select * from analytics.internal_notes')).toBe('42501');
    });

    it('cannot insert, update, delete, truncate or create anything', async () => {
      expect(await as('marketing', `insert into analytics_reports.daily_sales values (date '2026-11-24', 1)`)).toBe('42501');
      expect(await as('marketing', 'update analytics_reports.daily_sales set revenue = 0')).toBe('42501');
      expect(await as('marketing', 'delete from analytics_marts.dim_customers')).toBe('42501');
      expect(await as('marketing', 'truncate analytics_reports.daily_sales')).toBe('42501');
      for (const schema of ['raw', 'pgshift_meta', 'analytics', 'analytics_staging', 'analytics_marts', 'analytics_reports', 'public']) {
        expect(await as('marketing', `create table ${schema}.mine (id int)`), schema).toBe('42501');
      }
    });
  });

  describe('loader', () => {
    it('writes raw and pgshift_meta and may create raw tables', async () => {
      expect(await as('loader', 'insert into raw.orders values (11, 2, 5.00)')).toBe('ok');
      expect(await as('loader', 'update raw.orders set amount = 6.00 where id = 11')).toBe('ok');
      expect(await as('loader', 'delete from raw.orders where id = 11')).toBe('ok');
      expect(await as('loader', `insert into pgshift_meta.batches values ('b1', 1)`)).toBe('ok');
      expect(await as('loader', 'truncate pgshift_meta.batches')).toBe('ok');
      expect(await as('loader', 'create table raw.scratch (id int); drop table raw.scratch')).toBe('ok');
    });

    it('reads nothing it does not load', async () => {
      expect(await as('loader', 'select * from analytics_marts.dim_customers')).toBe('42501');
    });
  });

  describe('engineer and pii_admin', () => {
    it('read every layer, raw included', async () => {
      for (const name of ['engineer', 'pii_admin'] as const) {
        for (const relation of ['raw.customers', 'analytics_staging.stg_customers', 'analytics_marts.dim_customers', 'analytics_reports.daily_sales']) {
          expect(await as(name, `select * from ${relation}`), `${name} on ${relation}`).toBe('ok');
        }
      }
    });

    it('write nothing', async () => {
      expect(await as('engineer', `insert into raw.customers values (3, 'x@example.com', null)`)).toBe('42501');
      expect(await as('pii_admin', 'create table analytics_marts.mine (id int)')).toBe('42501');
    });
  });

  it('issues nothing on a second reconcile', async () => {
    expect(await reconcile()).toEqual([]);
  });

  it('revokes what was granted by hand to a managed role, and only that', async () => {
    await admin.query(`grant usage on schema raw to "${role('marketing')}"; grant select on raw.customers to "${role('marketing')}"`);
    await admin.query(`grant create on schema analytics_marts to "${role('marketing')}"`);
    expect(await as('marketing', 'select * from raw.customers')).toBe('ok');

    expect(await reconcile()).toEqual([
      `revoke select on "raw"."customers" from "${role('marketing')}"`,
      `revoke create on schema "analytics_marts" from "${role('marketing')}"`,
      `revoke usage on schema "raw" from "${role('marketing')}"`,
    ]);
    expect(await as('marketing', 'select * from raw.customers')).toBe('42501');
    expect(await reconcile()).toEqual([]);
  });

  it('leaves roles it does not manage alone', async () => {
    const { rows } = await admin.query(`select has_table_privilege($1, 'raw.customers', 'select') as can_read`, [OUTSIDER]);
    expect(rows[0].can_read).toBe(true);
  });

  it('grants on a table the first reconcile after a build creates it', async () => {
    await admin.query('create table analytics_reports.weekly_sales as select 1 as week, 10.00::numeric(12, 2) as revenue');
    expect(await as('marketing', 'select * from analytics_reports.weekly_sales')).toBe('42501');
    expect(await reconcile()).toEqual(
      ['engineer', 'marketing', 'pii_admin'].map((name) => `grant select on "analytics_reports"."weekly_sales" to "${role(name)}"`),
    );
    expect(await as('marketing', 'select * from analytics_reports.weekly_sales')).toBe('ok');
  });

  it('leaves an owner its own table: a table the loader created needs no grant to it', async () => {
    // A loader session takes on the role, so what it creates belongs to the role, not the user.
    expect(await as('loader', `set role "${role('loader')}"; create table raw.loaded_by_loader (id int)`)).toBe('ok');
    const statements = await reconcile();
    expect(statements).toEqual(['engineer', 'pii_admin'].map((name) => `grant select on "raw"."loaded_by_loader" to "${role(name)}"`));
    expect(await as('loader', 'insert into raw.loaded_by_loader values (1)')).toBe('ok');
    expect(await reconcile()).toEqual([]);
  });
});
