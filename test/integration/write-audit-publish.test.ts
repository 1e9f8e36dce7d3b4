// Write, audit, publish through the real CLI, on PostgreSQL and on Redshift (Data API emulator):
// a model's new version is tested before readers can see it, a failing one is never published,
// a governance test that fails keeps roles without `pii: true` away from the model (even its
// earlier, leaking version), and a rebuilt relation carries its grants the instant it appears.
// Access is checked by logging in as a member of the `marketing` role.

import { randomBytes } from 'node:crypto';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRunResults } from '../../src/run/run-results.js';
import { quoteIdent } from '../../src/sql/quote-ident.js';
import { type RedshiftEmulator, startRedshiftEmulator } from '../support/redshift-emulator/index.js';
import { runCli } from '../support/run-cli.js';
import { dropRoles } from '../support/shop-project.js';
import { createTestBucket, createTestDatabase, type TestBucket, type TestDatabase, testPostgresUrl, testS3Endpoint } from '../support/test-env.js';
import { testPool } from '../support/test-pool.js';
import { queryAs } from '../support/query-as.js';

const CLI_TIMEOUT = 120_000;

const PEOPLE = 'id,email\n1,anna@example.com\n2,ben@example.org\n';
const ORDERS = 'id,amount\n1,10\n2,20\n';
const ORDERS_WITH_NULL = 'id,amount\n1,10\n2,20\n3,\n';
const ORDERS_FIXED = 'id,amount\n1,10\n2,20\n3,30\n';

const MODELS: Record<string, string> = {
  // var('leak') swaps the hashed e-mail for the clear one: a mart that forgot to mask.
  'models/marts/customers.sql': `select id, {% if var('leak', false) %}email{% else %}md5(email) as email{% endif %} from {{ ref('people') }}`,
  'models/marts/customers_view.sql': `{{ config(materialized='view') }}
select id, {% if var('leak', false) %}email{% else %}md5(email) as email{% endif %} from {{ ref('people') }}`,
  'models/marts/customer_count.sql': `select count(*) as customers from {{ ref('customers') }}`,
  'models/marts/orders.sql': `{{ config(materialized='incremental', unique_key='id') }}
select id, amount from {{ ref('order_rows') }}
{% if is_incremental() %} where id > (select max(id) from {{ this }}) {% endif %}`,
  'models/marts/schema.yml': `version: 2
models:
  - name: customers
    data_tests:
      - no_pii: { columns: [email] }
  - name: customers_view
    data_tests:
      - no_pii: { columns: [email] }
  - name: orders
    columns:
      - name: amount
        data_tests: [not_null]
`,
};

function projectYaml(prefix: string, auditBeforePublish: boolean): string {
  return `name: wap
staging: { bucket: BUCKET }
targets:
  dev: { type: postgres, schema: analytics, connection_env: PGSHIFT_WAREHOUSE_URL }
  prod: { type: redshift, schema: analytics, database: dev, workgroup_name: wap, iam_role: 'arn:aws:iam::123456789012:role/wap' }
models:
  marts: { +materialized: table, +schema: marts }
seeds: { +schema: marts }
governance:
  role_prefix: ${prefix}
  audit_before_publish: ${auditBeforePublish}
  roles:
    marketing: { read: [marts] }
    pii_admin: { read: [marts], pii: true }
`;
}

interface Warehouse {
  readonly target: 'dev' | 'prod';
  start(db: TestDatabase): Promise<{ env: Record<string, string>; close(): Promise<void> }>;
}

const WAREHOUSES: Record<string, Warehouse> = {
  PostgreSQL: {
    target: 'dev',
    async start(db) {
      return { env: { PGSHIFT_WAREHOUSE_URL: db.url }, close: async () => undefined };
    },
  },
  'Redshift (Data API emulator)': {
    target: 'prod',
    async start(db) {
      const emulator: RedshiftEmulator = await startRedshiftEmulator({ postgresUrl: db.url, s3Endpoint: testS3Endpoint() });
      return {
        env: {
          PGSHIFT_REDSHIFT_ENDPOINT: emulator.endpoint,
          PGSHIFT_REDSHIFT_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:wap',
          PGSHIFT_PII_KEY: 'write-audit-publish-test-key',
        },
        close: () => emulator.close(),
      };
    },
  },
};

describe.each(Object.entries(WAREHOUSES))('write, audit, publish on %s', (_name, kind) => {
  const prefix = `w${randomBytes(3).toString('hex')}_`;
  const member = `${prefix}marketing_login`;
  let db: TestDatabase;
  let bucket: TestBucket;
  let admin: pg.Pool;
  let dir: string;
  let env: Record<string, string>;
  let close: () => Promise<void>;

  const cli = (...args: string[]) => runCli(['--project-dir', dir, '--target', kind.target, ...args], env);
  const results = async () => (await readRunResults(path.join(dir, 'target')))!;
  const statusOf = async (name: string) => {
    const found = (await results()).results.find((result) => result.unique_id.endsWith(`.${name}`));
    return found && { status: found.status, message: found.message };
  };
  const writeProject = (auditBeforePublish: boolean) =>
    writeFile(path.join(dir, 'pgshift.yml'), projectYaml(prefix, auditBeforePublish).replace('BUCKET', bucket.bucket));
  const writeOrders = (csv: string) => writeFile(path.join(dir, 'seeds', 'order_rows.csv'), csv);
  const rows = async (relation: string) => (await admin.query(`select * from ${relation} order by 1`)).rows;

  /** What a member of marketing gets from the relation: 'ok', or the SQLSTATE of the refusal. */
  const asMarketing = (relation: string): Promise<string> => queryAs(db.url, member, `select * from ${relation}`, 'member');

  beforeAll(async () => {
    db = await createTestDatabase('wap');
    bucket = await createTestBucket('wap');
    admin = testPool({ connectionString: db.url, max: 2 });
    dir = await mkdtemp(path.join(tmpdir(), 'pgshift-wap-'));
    for (const [file, text] of Object.entries(MODELS)) {
      await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
      await writeFile(path.join(dir, file), text);
    }
    await mkdir(path.join(dir, 'seeds'), { recursive: true });
    await writeFile(path.join(dir, 'seeds', 'people.csv'), PEOPLE);
    await writeOrders(ORDERS);
    await writeProject(true);
    const started = await kind.start(db);
    close = started.close;
    env = {
      ...started.env,
      PGSHIFT_S3_ENDPOINT: testS3Endpoint(),
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
      AWS_REGION: 'us-east-1',
    };
  });

  afterAll(async () => {
    await close?.();
    await admin?.end();
    await db?.drop();
    await bucket?.drop?.();
    await dropRoles(testPostgresUrl(), prefix);
    await rm(dir, { recursive: true, force: true });
  });

  it(
    'publishes clean models with their grants in the same transaction: a second build leaves the reconcile nothing to do',
    async () => {
      const first = await cli('build');
      expect(first.code, first.stderr).toBe(0);
      await admin.query(`create role ${quoteIdent(member)} login password 'member' in role ${quoteIdent(`${prefix}marketing`)}`);
      for (const relation of ['analytics_marts.customers', 'analytics_marts.customers_view', 'analytics_marts.orders']) {
        expect(await asMarketing(relation), relation).toBe('ok');
      }
      // Every table and view is rebuilt (orders merges nothing new). Had a rebuilt relation come
      // without its grants, the end-of-run reconcile would have had to grant marketing again.
      const second = await cli('build', '--full-refresh');
      expect(second.code, second.stderr).toBe(0);
      expect(second.stdout + second.stderr).toMatch(/grants reconciled: 0 statement\(s\)/);
      expect(await asMarketing('analytics_marts.customers')).toBe('ok');
    },
    CLI_TIMEOUT,
  );

  it(
    'keeps the published version when the new one fails its tests, skips what depends on it, and holds a leaking model from marketing',
    async () => {
      const customers = await rows('analytics_marts.customers');
      const view = await rows('analytics_marts.customers_view');
      const orders = await rows('analytics_marts.orders');
      await writeOrders(ORDERS_WITH_NULL);
      const run = await cli('build', '--vars', '{leak: true}');
      expect(run.code).toBe(1);

      expect(await statusOf('customers')).toEqual({ status: 'error', message: expect.stringMatching(/^built, not published: no_pii_customers_email/) });
      expect((await statusOf('no_pii_customers_email'))?.status).toBe('fail');
      expect((await statusOf('customer_count'))?.status).toBe('skipped');
      expect(await rows('analytics_marts.customers')).toEqual(customers);

      expect(await statusOf('customers_view')).toEqual({
        status: 'error',
        message: expect.stringMatching(/^built, not published: no_pii_customers_view_email/),
      });
      expect(await rows('analytics_marts.customers_view')).toEqual(view);

      expect(await statusOf('orders')).toEqual({ status: 'error', message: expect.stringMatching(/^increment built, not merged: not_null_orders_amount/) });
      expect((await statusOf('not_null_orders_amount'))?.status).toBe('fail');
      expect(await rows('analytics_marts.orders')).toEqual(orders);

      // No helper is left behind: neither the failed table nor the audit view.
      const helpers = await admin.query(`select relname from pg_class where relname like '%pgshift%' and relnamespace = 'analytics_marts'::regnamespace`);
      expect(helpers.rows).toEqual([]);

      // The no_pii failure holds both models: marketing loses even the earlier version.
      expect(await asMarketing('analytics_marts.customers')).toBe('42501');
      expect(await asMarketing('analytics_marts.customers_view')).toBe('42501');
      expect(await asMarketing('analytics_marts.orders')).toBe('ok');
      // The access report shows the hold, and no role without pii: true can still read it.
      const access = await cli('access');
      expect(access.code, access.stderr).toBe(0);
      expect(access.stdout).toContain(
        'held: analytics_marts.customers (no_pii_customers_email failed): only roles with pii: true can read it until the test passes',
      );
    },
    CLI_TIMEOUT,
  );

  it(
    "with audit_before_publish off, a leaking model is published (dbt's order) but still never granted to marketing",
    async () => {
      await writeProject(false);
      const run = await cli('build', '--vars', '{leak: true}', '--select', 'customers');
      expect(run.code).toBe(1);
      expect((await statusOf('customers'))?.status).toBe('success');
      expect((await statusOf('no_pii_customers_email'))?.status).toBe('fail');
      expect((await rows('analytics_marts.customers')).map((row) => row.email)).toEqual(['anna@example.com', 'ben@example.org']);
      expect(await asMarketing('analytics_marts.customers')).toBe('42501');
      await writeProject(true);
    },
    CLI_TIMEOUT,
  );

  it(
    'lifts the hold once the model passes again, and merges the fixed increment',
    async () => {
      await writeOrders(ORDERS_FIXED);
      const run = await cli('build');
      expect(run.code, run.stderr).toBe(0);
      expect(await asMarketing('analytics_marts.customers')).toBe('ok');
      expect(await asMarketing('analytics_marts.customers_view')).toBe('ok');
      expect((await rows('analytics_marts.orders')).map((row) => Number(row.amount))).toEqual([10, 20, 30]);
      const holds = await admin.query('select count(*)::int as n from pgshift_meta.governance_holds');
      expect(holds.rows[0].n).toBe(0);
    },
    CLI_TIMEOUT,
  );

  it(
    '`pgshift test` alone revokes at once: a failing no_pii holds the relation without waiting for a reconcile',
    async () => {
      // E-mail addresses written into the mart behind pgshift's back; `test` reconciles no grants.
      await admin.query(`update analytics_marts.customers set email = 'anna@example.com' where id = 1`);
      expect(await asMarketing('analytics_marts.customers')).toBe('ok');
      const run = await cli('test', '--select', 'customers');
      expect(run.code).toBe(1);
      expect(run.stdout + run.stderr).not.toMatch(/grants reconciled/);
      expect(await asMarketing('analytics_marts.customers')).toBe('42501');
    },
    CLI_TIMEOUT,
  );
});
