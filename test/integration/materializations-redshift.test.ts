// The same materializations through the production Redshift adapter (Data API) against the
// Data API emulator. The emulator runs the SQL on PostgreSQL after stripping Redshift-only
// clauses (DISTSTYLE, SORTKEY, BACKUP NO, WITH NO SCHEMA BINDING), so these tests prove the
// statements, their order, transactions and parameters through the real client; they cannot
// prove Redshift's own behaviour (late binding, MERGE's duplicate check, physical design).

import { RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import type pg from 'pg';
import { ConfigError } from '../../src/errors.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ModelNode } from '../../src/manifest/manifest.js';
import type { ConfigLayer } from '../../src/manifest/node-config.js';
import { modelNode, seedNode, testNode } from '../support/manifest-nodes.js';
import type { RedshiftTarget } from '../../src/config/target.js';
import type { Manifest } from '../../src/manifest/manifest.js';
import type { ExecutionContext } from '../../src/run/executors/execution-context.js';
import { executeTest } from '../../src/run/executors/test-executor.js';
import { loadSeed, materialize, runDataTest, SchemaChangeError } from '../../src/run/materializations/index.js';
import { RedshiftDataWarehouse } from '../../src/warehouse/redshift-data-warehouse.js';
import { type RedshiftEmulator, startRedshiftEmulator } from '../support/redshift-emulator/index.js';
import { createTestDatabase, type TestDatabase, testS3Endpoint } from '../support/test-env.js';
import { testPool } from '../support/test-pool.js';

const model = (name: string, config: ConfigLayer): ModelNode => modelNode(name, config);
const seed = (name: string, columnNames: string[]) => seedNode(name, columnNames);
const dataTest = testNode;

const ORDERS = 'select order_id, customer_id, order_date, status, amount, updated_at from "raw".orders';
const NEW_ORDERS = `${ORDERS} where updated_at > (select max(updated_at) from analytics.fct_orders)`;

describe('materializations through the Redshift Data API (emulated)', () => {
  let database: TestDatabase;
  let emulator: RedshiftEmulator;
  let db: pg.Pool;
  let warehouse: RedshiftDataWarehouse;

  const rows = async <T = Record<string, unknown>>(sql: string): Promise<T[]> => (await db.query(sql)).rows as T[];
  const count = async (relation: string): Promise<number> => Number((await rows<{ n: string }>(`select count(*) as n from ${relation}`))[0]!.n);
  const columnsOf = async (schema: string, table: string) => (await warehouse.describeTable(schema, table))?.map((column) => `${column.name} ${column.type}`);
  const xmins = async () =>
    new Map(
      (await rows<{ order_id: string; xmin: string }>('select order_id::text, xmin::text from analytics.fct_orders')).map((row) => [row.order_id, row.xmin]),
    );
  const build = (node: ModelNode, sql: string, fullRefresh = false) => materialize(warehouse, node, sql, { fullRefresh });

  beforeAll(async () => {
    database = await createTestDatabase('materializations_redshift');
    emulator = await startRedshiftEmulator({ postgresUrl: database.url, s3Endpoint: testS3Endpoint() });
    db = testPool({ connectionString: database.url, options: emulator.connectionOptions, max: 2 });
    const target: RedshiftTarget = {
      name: 'emulated',
      type: 'redshift',
      schema: 'analytics',
      database: 'dev',
      clusterIdentifier: 'emulated-cluster',
      dbUser: 'transformer',
      region: 'us-east-1',
      endpoint: emulator.endpoint,
      statementTimeoutMs: 30_000,
    };
    const client = new RedshiftDataClient({ endpoint: emulator.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    warehouse = new RedshiftDataWarehouse(target, client, { pollInitialMs: 5 });
  });

  afterAll(async () => {
    await warehouse?.close();
    await emulator?.close();
    await db?.end();
    await database?.drop();
  });

  beforeEach(async () => {
    await db.query(`
      drop schema if exists raw cascade; drop schema if exists analytics cascade; drop schema if exists reference cascade;
      create schema raw;
      create table "raw".orders (order_id int, customer_id int, order_date date, status varchar(20), amount numeric(10,2), updated_at timestamp);
      insert into "raw".orders select g, g % 7, date '2024-01-01' + g, 'placed', g * 1.5, timestamp '2024-06-01 00:00:00' from generate_series(1, 50) g;`);
  });

  it('creates late-binding views and replaces one whose columns changed', async () => {
    const node = model('customer_orders', { materialized: 'view' });
    const first = await build(node, 'select order_id, status from "raw".orders');
    expect(first.statements).toContain(
      'create or replace view "analytics"."customer_orders" as\nselect order_id, status from "raw".orders\nwith no schema binding',
    );
    const second = await build(node, 'select order_id as id from "raw".orders');
    expect(second.statements.slice(-2)).toEqual([
      'drop view "analytics"."customer_orders" cascade',
      'create view "analytics"."customer_orders" as\nselect order_id as id from "raw".orders\nwith no schema binding',
    ]);
    expect(await columnsOf('analytics', 'customer_orders')).toEqual(['id integer']);
  });

  it('builds a table with dist and sort keys and swaps it in on rebuild', async () => {
    const node = model('fct_orders', { materialized: 'table', dist: 'customer_id', sort: 'order_date' });
    const first = await build(node, ORDERS);
    expect(first.statements).toContain(
      `create table "analytics"."fct_orders__pgshift_tmp" diststyle key distkey ("customer_id") compound sortkey ("order_date") as\n${ORDERS}`,
    );
    expect(first.rowsAffected).toBe(50);
    await build(model('order_summary', { materialized: 'view', bind: true }), 'select count(*) as orders from analytics.fct_orders');
    await build(node, `${ORDERS} where order_id <= 10`);
    expect(await count('analytics.fct_orders')).toBe(10);
    expect(await rows(`select relname from pg_class where relname like 'fct_orders__pgshift%'`)).toEqual([]);
  });

  for (const strategy of ['merge', 'delete+insert'] as const) {
    it(`${strategy}: the second run touches only new and changed rows`, async () => {
      const node = model('fct_orders', { materialized: 'incremental', incremental_strategy: strategy, unique_key: 'order_id' });
      expect((await build(node, ORDERS)).rowsAffected).toBe(50);
      const before = await xmins();
      await db.query(`
        update "raw".orders set status = 'shipped', updated_at = '2024-06-02' where order_id = 7;
        insert into "raw".orders values (51, 1, '2024-03-01', 'placed', 9, '2024-06-02');`);
      expect((await build(node, NEW_ORDERS)).rowsAffected).toBe(2);
      const after = await xmins();
      expect(
        [...after]
          .filter(([id, xmin]) => before.get(id) !== xmin)
          .map(([id]) => id)
          .sort(),
      ).toEqual(['51', '7']);
      expect(await rows(`select status from analytics.fct_orders where order_id = 7`)).toEqual([{ status: 'shipped' }]);
    });
  }

  it('refuses a unique_key the model does not select on the first build, leaving nothing built', async () => {
    const misspelt = model('fct_orders', { materialized: 'incremental', incremental_strategy: 'merge', unique_key: 'nope' });
    const failure = await build(misspelt, ORDERS).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ConfigError);
    expect((failure as Error).message).toBe(
      "model.shop.fct_orders: unique_key 'nope' is not a column the model selects (columns: order_id, customer_id, order_date, status, amount, updated_at); fix unique_key in its config or add the column to the select",
    );
    expect(await rows(`select relname from pg_class where relname like 'fct_orders%'`)).toEqual([]);
  });

  it('append and --full-refresh', async () => {
    const node = model('fct_orders', { materialized: 'incremental', incremental_strategy: 'append' });
    await build(node, ORDERS);
    await db.query(`insert into "raw".orders values (51, 1, '2024-03-01', 'placed', 9, '2024-06-02')`);
    expect((await build(node, NEW_ORDERS)).rowsAffected).toBe(1);
    expect((await build(node, ORDERS, true)).rowsAffected).toBe(51);
    expect(await count('analytics.fct_orders')).toBe(51);
  });

  it('on_schema_change sync_all_columns: widens a varchar outside the transaction and retypes by column copy', async () => {
    const node = model('fct_orders', { materialized: 'incremental', unique_key: 'order_id', on_schema_change: 'sync_all_columns' });
    await build(node, 'select order_id, customer_id, status, amount, updated_at from "raw".orders');
    await db.query(`insert into "raw".orders values (51, 1, '2024-03-01', 'a much longer status', 9, '2024-06-02')`);
    const result = await build(
      node,
      `select order_id, status::varchar(40) as status, amount::float8 as amount, updated_at, 1 as batch from "raw".orders where updated_at > (select max(updated_at) from analytics.fct_orders)`,
    );
    expect(result.statements).toContain('alter table "analytics"."fct_orders" alter column "status" type character varying(40)');
    expect(await columnsOf('analytics', 'fct_orders')).toEqual([
      'order_id integer',
      'status character varying(40)',
      'updated_at timestamp without time zone',
      'batch integer',
      'amount double precision',
    ]);
    expect(await rows('select status, amount, batch from analytics.fct_orders where order_id = 51')).toEqual([
      { status: 'a much longer status', amount: 9, batch: 1 },
    ]);
  });

  it('on_schema_change fail: refuses and leaves the table as it was', async () => {
    const node = model('fct_orders', { materialized: 'incremental', unique_key: 'order_id', on_schema_change: 'fail' });
    await build(node, ORDERS);
    await expect(build(node, 'select order_id, 1 as extra from "raw".orders')).rejects.toThrow(SchemaChangeError);
    expect(await count('analytics.fct_orders')).toBe(50);
  });

  it('loads a seed with Redshift types sized to the data, values as Data API parameters', async () => {
    const csv = 'code,name,population,share,member\nDE,Germany,83200000,0.25,true\nIS,"Ísland, ""cold""",,1.125,false\nNO,,5500000,,\n';
    const result = await loadSeed(warehouse, seed('countries', ['code', 'name', 'population', 'share', 'member']), csv);
    expect(result.rowsAffected).toBe(3);
    // VARCHAR lengths count bytes: 'Ísland, "cold"' is 14 characters, 15 bytes.
    expect(await columnsOf('reference', 'countries')).toEqual([
      'code character varying(2)',
      'name character varying(15)',
      'population integer',
      'share numeric(4,3)',
      'member boolean',
    ]);
    expect(await rows('select code, name, population::text, share::text, member from reference.countries order by code')).toEqual([
      { code: 'DE', name: 'Germany', population: '83200000', share: '0.250', member: true },
      { code: 'IS', name: 'Ísland, "cold"', population: null, share: '1.125', member: false },
      { code: 'NO', name: null, population: '5500000', share: null, member: null },
    ]);
  });

  it('runs data tests: pass, warn and fail', async () => {
    const nullStatus = 'select * from "raw".orders where status is null';
    expect(await runDataTest(warehouse, dataTest(nullStatus))).toMatchObject({ status: 'pass', failures: 0 });
    await db.query('update "raw".orders set status = null where order_id <= 4');
    expect(await runDataTest(warehouse, dataTest(nullStatus, { severity: 'warn' }))).toMatchObject({ status: 'warn', failures: 4 });
    expect(await runDataTest(warehouse, dataTest(nullStatus, { error_if: '> 3' }))).toMatchObject({ status: 'fail', failures: 4 });
    expect(await runDataTest(warehouse, dataTest(nullStatus, { error_if: '> 10' }))).toMatchObject({ status: 'warn', failures: 4 });
  });

  it('names the schema.yml file and the column when a generic test checks a column the model does not have', async () => {
    const orders = model('fct_orders', { materialized: 'table' });
    await build(orders, ORDERS);
    const test = {
      ...dataTest('select * from "analytics"."fct_orders" where "ammount" is null', {}, 'not_null_fct_orders_ammount'),
      original_file_path: 'models/marts/schema.yml',
      column_name: 'ammount',
      attached_node: orders.unique_id,
    };
    // Only what the test executor reads of a run's context: the warehouse and where the model lives.
    const manifest = { nodes: { [orders.unique_id]: orders }, sources: {} } as unknown as Manifest;
    const failure = await executeTest(test, { warehouse, manifest } as unknown as ExecutionContext).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(ConfigError);
    expect((failure as Error).message).toBe(
      "models/marts/schema.yml: test not_null_fct_orders_ammount checks column 'ammount', which model fct_orders does not have (analytics.fct_orders has order_id, customer_id, order_date, status, amount, updated_at); fix the column name in models/marts/schema.yml",
    );
  });
});
