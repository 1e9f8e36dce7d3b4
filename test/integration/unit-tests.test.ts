// dbt's unit tests through the real CLI, on PostgreSQL and on Redshift (Data API emulator): a
// model with a join and an aggregate is tested over given rows in the dict, csv (inline and
// fixture file) and sql formats, before any of its inputs exists; an incremental model with
// is_incremental overridden; `test --select test_type:unit` runs only unit tests, `run` none;
// `build` runs a model's unit tests before the model, and a failing one names the rows it
// missed and the rows it did not expect, and skips the model and its children.

import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRunResults } from '../../src/run/run-results.js';
import { CLI_WAREHOUSES, projectTargets } from '../support/cli-warehouses.js';
import { runCli } from '../support/run-cli.js';
import { createTestBucket, createTestDatabase, type TestBucket, type TestDatabase, testS3Endpoint } from '../support/test-env.js';
import { testPool } from '../support/test-pool.js';

const CLI_TIMEOUT = 180_000;

const FILES: Record<string, string> = {
  'seeds/raw_customers.csv': 'customer_id,name\n1,anna\n2,ben\n',
  'seeds/raw_orders.csv': 'order_id,customer_id,amount\n1,1,10.50\n2,1,4.50\n3,2,7.00\n',
  'models/stg_customers.sql': `select customer_id, name from {{ ref('raw_customers') }}`,
  'models/stg_orders.sql': `select order_id, customer_id, cast(amount as numeric(10,2)) as amount from {{ ref('raw_orders') }}`,
  // The model under test: a join and an aggregate.
  'models/customer_revenue.sql': `select c.customer_id, c.name, count(o.order_id) as orders, sum(o.amount) as revenue
from {{ ref('stg_customers') }} c
join {{ ref('stg_orders') }} o on o.customer_id = c.customer_id
group by c.customer_id, c.name`,
  'models/top_customers.sql': `select customer_id from {{ ref('customer_revenue') }} where revenue >= {{ var('top_revenue', 10) }}`,
  'models/order_log.sql': `{{ config(materialized='incremental', unique_key='order_id') }}
select order_id, amount from {{ ref('stg_orders') }}
{% if is_incremental() %}where order_id > (select max(order_id) from {{ this }}){% endif %}`,
  'tests/fixtures/two_customers.csv': 'customer_id,name\n1,anna\n2,ben\n',
  'models/unit_tests.yml': `unit_tests:
  - name: revenue_per_customer
    model: customer_revenue
    description: Orders and revenue add up per customer; a customer without orders is left out.
    given:
      - input: ref('stg_customers')
        rows:
          - {customer_id: 1, name: anna}
          - {customer_id: 2, name: ben}
          - {customer_id: 3, name: cleo}
      - input: ref('stg_orders')
        rows:
          - {order_id: 1, customer_id: 1, amount: 10.5}
          - {order_id: 2, customer_id: 1, amount: 4.5}
          - {order_id: 3, customer_id: 2, amount: 7}
    expect:
      rows:
        - {customer_id: 1, name: anna, orders: 2, revenue: 15}
        - {customer_id: 2, name: ben, orders: 1, revenue: 7}
  - name: revenue_from_csv
    model: customer_revenue
    given:
      - input: ref('stg_customers')
        format: csv
        fixture: two_customers
      - input: ref('stg_orders')
        format: csv
        rows: |
          order_id,customer_id,amount
          1,2,3.25
          2,2,1.75
    expect:
      format: csv
      rows: |
        customer_id,revenue
        2,5.00
  - name: revenue_from_sql
    model: customer_revenue
    given:
      - input: ref('stg_customers')
        format: sql
        rows: select 1 as customer_id, 'anna' as name
      - input: ref('stg_orders')
        format: sql
        rows: select 9 as order_id, 1 as customer_id, cast(2.5 as numeric(10,2)) as amount
    expect:
      format: sql
      rows: select 1 as customer_id, 1 as orders
  - name: appends_only_new_orders
    model: order_log
    overrides:
      macros: {is_incremental: true}
    given:
      - input: ref('stg_orders')
        rows:
          - {order_id: 1, amount: 1}
          - {order_id: 2, amount: 2}
          - {order_id: 3, amount: 3}
      - input: this
        rows:
          - {order_id: 2, amount: 2}
    expect:
      rows:
        - {order_id: 3, amount: 3}
`,
};

const FAILING = `unit_tests:
  - name: revenue_is_wrong
    model: customer_revenue
    given:
      - input: ref('stg_customers')
        rows: [{customer_id: 1, name: anna}]
      - input: ref('stg_orders')
        rows: [{order_id: 1, customer_id: 1, amount: 2}, {order_id: 2, customer_id: 1, amount: 3}]
    expect:
      rows:
        - {customer_id: 1, revenue: 6}
`;

const PROJECT = `name: units
staging: { bucket: BUCKET }
${projectTargets('units')}models: { +materialized: table }
`;

const WAREHOUSES = CLI_WAREHOUSES;

describe.each(Object.entries(WAREHOUSES))('unit tests on %s', (_name, kind) => {
  let db: TestDatabase;
  let bucket: TestBucket;
  let admin: pg.Pool;
  let dir: string;
  let env: Record<string, string>;
  let close: () => Promise<void>;

  const cli = (...args: string[]) => runCli(['--project-dir', dir, '--target', kind.target, ...args], env);
  const results = async () => (await readRunResults(path.join(dir, 'target')))!.results;
  const statuses = async () => Object.fromEntries((await results()).map((result) => [result.unique_id, result.status]));
  const relationExists = async (name: string) =>
    (await admin.query(`select 1 from information_schema.tables where table_schema = 'analytics' and table_name = $1`, [name])).rowCount === 1;

  beforeAll(async () => {
    db = await createTestDatabase('unit_tests');
    bucket = await createTestBucket('unit-tests');
    admin = testPool({ connectionString: db.url, max: 1 });
    dir = await mkdtemp(path.join(tmpdir(), 'pgshift-unit-tests-'));
    for (const [file, text] of Object.entries({ ...FILES, 'pgshift.yml': PROJECT.replace('BUCKET', bucket.bucket) })) {
      await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
      await writeFile(path.join(dir, file), text);
    }
    const started = await kind.start(db);
    close = started.close;
    env = { ...started.env, PGSHIFT_S3_ENDPOINT: testS3Endpoint(), AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_REGION: 'us-east-1' };
  });

  afterAll(async () => {
    await close?.();
    await admin?.end();
    await db?.drop();
    await bucket?.drop?.();
    await rm(dir, { recursive: true, force: true });
  });

  it(
    'runs only the unit tests with test_type:unit, before any input exists, types inferred from the values',
    async () => {
      const run = await cli('test', '--select', 'test_type:unit');
      expect(run.code, run.stdout + run.stderr).toBe(0);
      expect(await statuses()).toEqual({
        'unit_test.units.customer_revenue.revenue_per_customer': 'pass',
        'unit_test.units.customer_revenue.revenue_from_csv': 'pass',
        'unit_test.units.customer_revenue.revenue_from_sql': 'pass',
        'unit_test.units.order_log.appends_only_new_orders': 'pass',
      });
      expect(await relationExists('stg_orders')).toBe(false);
    },
    CLI_TIMEOUT,
  );

  it(
    'leaves unit tests out of run and of test_type:data',
    async () => {
      const run = await cli('run');
      expect(run.code, run.stdout + run.stderr).toBe(0);
      expect((await results()).map((result) => result.unique_id).filter((id) => id.startsWith('unit_test.'))).toEqual([]);
      const data = await cli('test', '--select', 'test_type:data');
      expect(data.code, data.stdout + data.stderr).toBe(0);
      expect((await results()).map((result) => result.unique_id).filter((id) => id.startsWith('unit_test.'))).toEqual([]);
    },
    CLI_TIMEOUT,
  );

  it(
    "builds each model after its unit tests pass, the inputs' columns typed from the warehouse",
    async () => {
      const run = await cli('build');
      expect(run.code, run.stdout + run.stderr).toBe(0);
      const ids = (await results()).map((result) => result.unique_id);
      expect(ids.indexOf('unit_test.units.customer_revenue.revenue_per_customer')).toBeLessThan(ids.indexOf('model.units.customer_revenue'));
      expect(ids.indexOf('unit_test.units.order_log.appends_only_new_orders')).toBeLessThan(ids.indexOf('model.units.order_log'));
      expect(Object.values(await statuses()).every((status) => status === 'success' || status === 'pass')).toBe(true);
    },
    CLI_TIMEOUT,
  );

  it(
    'fails a unit test with the missing and unexpected rows, and skips its model and the model’s children',
    async () => {
      await writeFile(path.join(dir, 'models', 'failing.yml'), FAILING);
      await admin.query('drop table analytics.customer_revenue cascade');
      const run = await cli('build');
      expect(run.code).toBe(1);
      const failed = (await results()).find((result) => result.unique_id === 'unit_test.units.customer_revenue.revenue_is_wrong')!;
      expect(failed.status).toBe('fail');
      expect(failed.message).toBe(
        [
          'unit test revenue_is_wrong (models/failing.yml) of model customer_revenue failed: 1 expected row(s) missing, 1 unexpected row(s)',
          '  - {customer_id: 1, revenue: 6}',
          '  + {customer_id: 1, revenue: 5.00}',
        ].join('\n'),
      );
      expect(run.stdout + run.stderr).toContain('+ {customer_id: 1, revenue: 5.00}');
      const status = await statuses();
      expect(status['model.units.customer_revenue']).toBe('skipped');
      expect(status['model.units.top_customers']).toBe('skipped');
      expect(status['model.units.order_log']).toBe('success');
      expect(await relationExists('customer_revenue')).toBe(false);
      await rm(path.join(dir, 'models', 'failing.yml'));
    },
    CLI_TIMEOUT,
  );
});
