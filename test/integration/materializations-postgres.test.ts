// Every materialization built on a real PostgreSQL warehouse: views, tables (indexes, partitions,
// swaps under dependent views), incremental strategies and schema changes, seeds and data tests.

import type pg from 'pg';
import { ConfigError } from '../../src/errors.js';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ModelNode } from '../../src/manifest/manifest.js';
import type { ConfigLayer } from '../../src/manifest/node-config.js';
import { modelNode, seedNode, testNode } from '../support/manifest-nodes.js';
import { getPostgresConn } from '../../src/connections.js';
import { loadSeed, MaterializationError, materialize, runDataTest, SchemaChangeError } from '../../src/run/materializations/index.js';
import { PostgresWarehouse } from '../../src/warehouse/postgres-warehouse.js';
import { createTestDatabase, type TestDatabase } from '../support/test-env.js';
import { testPool } from '../support/test-pool.js';

const model = (name: string, config: ConfigLayer, alias = name): ModelNode => modelNode(name, config, { alias });
const seed = seedNode;
const dataTest = testNode;

const ORDERS = 'select order_id, customer_id, order_date, status, amount, updated_at from raw.orders';
/** What the runner renders for an incremental run: only rows changed since the last one. */
const NEW_ORDERS = `${ORDERS} where updated_at > (select max(updated_at) from analytics.fct_orders)`;

describe('materializations on the PostgreSQL warehouse', () => {
  let database: TestDatabase;
  let db: pg.Pool;
  let warehouse: PostgresWarehouse;

  const rows = async <T = Record<string, unknown>>(sql: string): Promise<T[]> => (await db.query(sql)).rows as T[];
  const count = async (relation: string): Promise<number> => Number((await rows<{ n: string }>(`select count(*) as n from ${relation}`))[0]!.n);
  const columnsOf = async (schema: string, table: string) => (await warehouse.describeTable(schema, table))?.map((column) => `${column.name} ${column.type}`);
  const leftovers = async () =>
    (
      await rows<{ relname: string }>(
        `select relname from pg_class c join pg_namespace n on n.oid = c.relnamespace where nspname = 'analytics' and relname like '%pgshift%' and relkind in ('r', 'p')`,
      )
    ).map((row) => row.relname);
  const xmins = async () =>
    new Map(
      (await rows<{ order_id: string; xmin: string }>('select order_id::text, xmin::text from analytics.fct_orders')).map((row) => [row.order_id, row.xmin]),
    );
  const build = (node: ModelNode, sql: string, fullRefresh = false) => materialize(warehouse, node, sql, { fullRefresh });

  beforeAll(async () => {
    database = await createTestDatabase('materializations');
    db = testPool({ connectionString: database.url, max: 2 });
    warehouse = new PostgresWarehouse(getPostgresConn({ connectionString: database.url }), () => {
      throw new Error('no s3');
    });
  });

  afterAll(async () => {
    await warehouse?.close();
    await db?.end();
    await database?.drop();
  });

  beforeEach(async () => {
    await db.query(`
      drop schema if exists raw cascade; drop schema if exists analytics cascade; drop schema if exists reference cascade;
      create schema raw;
      create table raw.orders (order_id int primary key, customer_id int, order_date date, status varchar(20), amount numeric(10,2), updated_at timestamptz);
      insert into raw.orders
      select g, g % 7, date '2024-01-01' + (g * 3), 'placed', g * 1.5, timestamptz '2024-06-01 00:00:00+00'
        from generate_series(1, 100) g;`);
  });

  describe('view', () => {
    it('creates the schema and the view, and replaces it when its columns change', async () => {
      const node = model('customer_orders', { materialized: 'view' });
      const first = await build(node, 'select order_id, status from raw.orders');
      expect(first).toMatchObject({ rowsAffected: 0 });
      expect(await count('analytics.customer_orders')).toBe(100);
      // Dropping a column is what CREATE OR REPLACE VIEW refuses; the atomic drop-and-create takes over.
      const second = await build(node, 'select order_id as id from raw.orders');
      expect(second.statements).toContain('drop view "analytics"."customer_orders" cascade');
      expect(await columnsOf('analytics', 'customer_orders')).toEqual(['id integer']);
    });

    it('takes the place of a table when the materialization changes', async () => {
      await build(model('m', { materialized: 'table' }), 'select 1 as a');
      await build(model('m', { materialized: 'view' }), 'select 2 as a');
      expect(await rows(`select relkind from pg_class where relname = 'm'`)).toEqual([{ relkind: 'v' }]);
      expect(await rows('select a from analytics.m')).toEqual([{ a: 2 }]);
    });
  });

  describe('table', () => {
    it('builds under a temporary name, adds indexes, and keeps the same index names on every rebuild', async () => {
      const node = model('fct_orders', {
        materialized: 'table',
        indexes: [
          { columns: ['order_id'], unique: true },
          { columns: ['order_date'], type: 'brin' },
        ],
      });
      const first = await build(node, ORDERS);
      expect(first.rowsAffected).toBe(100);
      const indexNames = async () =>
        await rows<{ indexname: string; indexdef: string }>(`select indexname, indexdef from pg_indexes where schemaname = 'analytics' order by 1`);
      const before = await indexNames();
      expect(before.map((index) => index.indexdef)).toEqual([
        expect.stringMatching(/^CREATE INDEX fct_orders__order_date__[0-9a-f]{8} ON analytics.fct_orders USING brin \(order_date\)$/),
        expect.stringMatching(/^CREATE UNIQUE INDEX fct_orders__order_id__[0-9a-f]{8} ON analytics.fct_orders USING btree \(order_id\)$/),
      ]);
      await db.query('delete from raw.orders where order_id > 40');
      expect((await build(node, ORDERS)).rowsAffected).toBe(40);
      expect(await indexNames()).toEqual(before);
      expect(await leftovers()).toEqual([]);
    });

    it('swaps the table while a view reads it: the bound view is dropped with the old table and rebuilt by its own model', async () => {
      const table = model('fct_orders', { materialized: 'table' });
      const view = model('order_summary', { materialized: 'view' });
      await build(table, ORDERS);
      await build(view, 'select count(*) as orders from analytics.fct_orders');
      const swap = await build(table, `${ORDERS} where order_id <= 10`);
      expect(swap.statements).toContain('drop table "analytics"."fct_orders__pgshift_backup" cascade');
      expect(await rows(`select relname from pg_class where relname = 'order_summary'`)).toEqual([]);
      await build(view, 'select count(*) as orders from analytics.fct_orders');
      expect(await rows('select orders::int from analytics.order_summary')).toEqual([{ orders: 10 }]);
    });

    it('leaves the old table untouched and no helper table behind when the select fails', async () => {
      const node = model('fct_orders', { materialized: 'table' });
      await build(node, ORDERS);
      const failure = await build(node, 'select order_id, 1 / (order_id - 50) as boom from raw.orders').catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(MaterializationError);
      expect((failure as Error).message).toMatch(/^model\.shop\.fct_orders: building analytics\.fct_orders as table failed: division by zero/);
      expect(await count('analytics.fct_orders')).toBe(100);
      expect(await leftovers()).toEqual([]);
    });

    it('builds a range-partitioned table with one partition per month present plus a default', async () => {
      const node = model('fct_orders', {
        materialized: 'table',
        partition_by: { field: 'order_date', data_type: 'date', granularity: 'month' },
        indexes: [{ columns: ['order_id', 'order_date'], unique: true }],
      });
      await db.query(`update raw.orders set order_date = null where order_id = 1`);
      const result = await build(node, ORDERS);
      expect(result.rowsAffected).toBe(100);
      const partitions = async () =>
        rows<{ name: string; bound: string; n: string }>(`
          select c.relname as name, pg_get_expr(c.relpartbound, c.oid) as bound, (select count(*) from analytics.fct_orders o where o.tableoid = c.oid) as n
            from pg_inherits i join pg_class c on c.oid = i.inhrelid
           where i.inhparent = 'analytics.fct_orders'::regclass order by 1`);
      const first = await partitions();
      // Order dates run from 2024-01-07 (every 3 days) to 2024-10-27: ten months, and NULL goes to the default.
      expect(first.map((partition) => partition.name)).toEqual([
        'fct_orders__p2024_01',
        'fct_orders__p2024_02',
        'fct_orders__p2024_03',
        'fct_orders__p2024_04',
        'fct_orders__p2024_05',
        'fct_orders__p2024_06',
        'fct_orders__p2024_07',
        'fct_orders__p2024_08',
        'fct_orders__p2024_09',
        'fct_orders__p2024_10',
        'fct_orders__pdefault',
      ]);
      expect(first[0]!.bound).toBe("FOR VALUES FROM ('2024-01-01') TO ('2024-02-01')");
      expect(first.at(-1)).toMatchObject({ bound: 'DEFAULT', n: '1' });
      expect(first.reduce((sum, partition) => sum + Number(partition.n), 0)).toBe(100);
      // A rebuild reuses the same names: the old partitions go with the old table first.
      await build(node, `${ORDERS} where order_id <= 30`);
      expect((await partitions()).map((partition) => partition.name)).toEqual([
        'fct_orders__p2024_01',
        'fct_orders__p2024_02',
        'fct_orders__p2024_03',
        'fct_orders__pdefault',
      ]);
      expect(await leftovers()).toEqual([]);
      // Every index, the partitioned table's and each partition's, ends with its final name.
      const indexes = await rows<{ table: string; index: string }>(`
        select t.relname as table, i.relname as index from pg_index x join pg_class i on i.oid = x.indexrelid join pg_class t on t.oid = x.indrelid
          join pg_namespace n on n.oid = t.relnamespace where n.nspname = 'analytics' order by 1`);
      expect(indexes.map((row) => row.table)).toEqual([
        'fct_orders',
        'fct_orders__p2024_01',
        'fct_orders__p2024_02',
        'fct_orders__p2024_03',
        'fct_orders__pdefault',
      ]);
      expect(indexes.filter((row) => !row.index.startsWith(`${row.table}__`) || row.index.includes('pgshift'))).toEqual([]);
    });

    it('quotes hostile names end to end', async () => {
      const node = model(
        'weird',
        { materialized: 'table', indexes: [{ columns: ['last_name"; drop table raw.orders; --'] }] },
        'we"ird; drop table raw.orders; --',
      );
      await build(node, `select 'x' as "last_name""; drop table raw.orders; --"`);
      expect(await count('analytics."we""ird; drop table raw.orders; --"')).toBe(1);
      expect(await count('raw.orders')).toBe(100);
    });
  });

  describe('incremental', () => {
    const merge = model('fct_orders', { materialized: 'incremental', incremental_strategy: 'merge', unique_key: 'order_id' });

    it('builds the whole table on the first run', async () => {
      const result = await build(merge, ORDERS);
      expect(result.rowsAffected).toBe(100);
      expect(result.statements.some((sql) => sql.startsWith('merge'))).toBe(false);
    });

    for (const [strategy, changed] of [
      ['merge', 'update'],
      ['delete+insert', 'replace'],
    ] as const) {
      it(`${strategy}: a second run touches only the new and changed rows (${changed}s changed ones in place of the old)`, async () => {
        const node = model('fct_orders', { materialized: 'incremental', incremental_strategy: strategy, unique_key: 'order_id' });
        await build(node, ORDERS);
        const before = await xmins();
        await db.query(`
          update raw.orders set status = 'shipped', updated_at = '2024-06-02 00:00:00+00' where order_id in (3, 4);
          insert into raw.orders values (101, 1, '2024-11-01', 'placed', 9, '2024-06-02 00:00:00+00');`);
        const result = await build(node, NEW_ORDERS);
        expect(result.rowsAffected).toBe(3);
        const after = await xmins();
        expect(after.size).toBe(101);
        const touched = [...after]
          .filter(([id, xmin]) => before.get(id) !== xmin)
          .map(([id]) => id)
          .sort();
        expect(touched).toEqual(['101', '3', '4']);
        expect(await rows(`select status from analytics.fct_orders where order_id in (3, 4)`)).toEqual([{ status: 'shipped' }, { status: 'shipped' }]);
        expect(await leftovers()).toEqual([]);
      });
    }

    it('append: inserts the new rows and leaves the others alone', async () => {
      const node = model('fct_orders', { materialized: 'incremental', incremental_strategy: 'append' });
      await build(node, ORDERS);
      await db.query(`insert into raw.orders values (101, 1, '2024-11-01', 'placed', 9, '2024-06-02 00:00:00+00')`);
      expect((await build(node, NEW_ORDERS)).rowsAffected).toBe(1);
      expect(await count('analytics.fct_orders')).toBe(101);
    });

    it('--full-refresh rebuilds every row, unless the model says full_refresh: false', async () => {
      await build(merge, ORDERS);
      const before = await xmins();
      const refreshed = await build(merge, ORDERS, true);
      expect(refreshed.rowsAffected).toBe(100);
      expect([...(await xmins())].every(([id, xmin]) => before.get(id) !== xmin)).toBe(true);

      const protectedModel = model('fct_orders', { materialized: 'incremental', unique_key: 'order_id', full_refresh: false });
      const kept = await xmins();
      expect((await build(protectedModel, NEW_ORDERS, true)).rowsAffected).toBe(0);
      expect(await xmins()).toEqual(kept);
    });

    it('refuses a unique_key the model does not select on the first build, leaving nothing built', async () => {
      const misspelt = model('fct_orders', { materialized: 'incremental', unique_key: ['order_id', 'nope'] });
      const failure = await build(misspelt, ORDERS).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(ConfigError);
      expect((failure as Error).message).toBe(
        "model.shop.fct_orders: unique_key 'nope' is not a column the model selects (columns: order_id, customer_id, order_date, status, amount, updated_at); fix unique_key in its config or add the column to the select",
      );
      expect(await rows(`select to_regclass('analytics.fct_orders') as relation`)).toEqual([{ relation: null }]);
      expect(await leftovers()).toEqual([]);
    });

    it('rolls the whole run back when the merge fails, e.g. on duplicate keys in the new rows', async () => {
      await build(merge, ORDERS);
      await db.query(`update raw.orders set updated_at = '2024-06-02 00:00:00+00' where order_id in (1, 2)`);
      const failure = await build(merge, `${NEW_ORDERS} union all select 1, 1, date '2024-01-01', 'dup', 1, timestamptz '2024-06-03 00:00:00+00'`).catch(
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(MaterializationError);
      expect((failure as Error).message).toMatch(/MERGE command cannot affect row a second time/);
      expect(await rows(`select count(*)::int as n from analytics.fct_orders where status = 'dup'`)).toEqual([{ n: 0 }]);
      expect(await leftovers()).toEqual([]);
    });
  });

  describe('on_schema_change', () => {
    const base = 'select order_id, customer_id, status, updated_at from raw.orders';
    // The model drops customer_id, adds a discount and widens status.
    const changed = `select order_id, status::varchar(40) as status, updated_at, 0.5::numeric(4,2) as discount from raw.orders where updated_at > (select max(updated_at) from analytics.fct_orders)`;
    const incremental = (on_schema_change: string) =>
      model('fct_orders', { materialized: 'incremental', unique_key: 'order_id', on_schema_change } as ConfigLayer);
    const newRow = () => db.query(`insert into raw.orders values (101, 1, '2024-11-01', 'placed', 9, '2024-06-02 00:00:00+00')`);

    it('ignore: writes the shared columns only; the removed column is NULL in new rows', async () => {
      await build(incremental('ignore'), base);
      await newRow();
      await build(incremental('ignore'), changed);
      expect(await columnsOf('analytics', 'fct_orders')).toEqual([
        'order_id integer',
        'customer_id integer',
        'status character varying(20)',
        'updated_at timestamp with time zone',
      ]);
      expect(await rows('select customer_id, status from analytics.fct_orders where order_id = 101')).toEqual([{ customer_id: null, status: 'placed' }]);
    });

    it('fail: stops before touching the table and names the columns', async () => {
      await build(incremental('fail'), base);
      await newRow();
      const failure = await build(incremental('fail'), changed).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(SchemaChangeError);
      expect((failure as Error).message).toContain('new in the model: discount; gone from the model: customer_id');
      expect(await count('analytics.fct_orders')).toBe(100);
      expect(await leftovers()).toEqual([]);
    });

    it('append_new_columns: adds discount, keeps customer_id; old rows have no discount', async () => {
      await build(incremental('append_new_columns'), base);
      await newRow();
      await build(incremental('append_new_columns'), changed);
      expect(await columnsOf('analytics', 'fct_orders')).toEqual([
        'order_id integer',
        'customer_id integer',
        'status character varying(20)',
        'updated_at timestamp with time zone',
        'discount numeric(4,2)',
      ]);
      expect(await rows('select order_id, discount from analytics.fct_orders where order_id in (1, 101) order by 1')).toEqual([
        { order_id: 1, discount: null },
        { order_id: 101, discount: '0.50' },
      ]);
    });

    it('sync_all_columns: adds discount, drops customer_id, widens status and changes a type', async () => {
      await build(incremental('sync_all_columns'), `${base.replace('order_id,', 'order_id, amount,')}`);
      await newRow();
      await build(incremental('sync_all_columns'), changed.replace('order_id,', 'order_id, amount::float8 as amount,'));
      expect(await columnsOf('analytics', 'fct_orders')).toEqual([
        'order_id integer',
        'amount double precision',
        'status character varying(40)',
        'updated_at timestamp with time zone',
        'discount numeric(4,2)',
      ]);
      expect(await rows('select amount, discount from analytics.fct_orders where order_id = 101')).toEqual([{ amount: 9, discount: '0.50' }]);
    });
  });

  describe('seeds', () => {
    const csv = [
      'Code,name,population,area_km2,eu_member,joined_on,updated_at,note',
      'DE,Germany,83200000,357588.5,true,1958-01-01,2024-03-01T10:00:00,',
      'NO,"Norway, Kingdom of",5500000,385207,false,,2024-03-01 11:30:00,""',
      'IS,"Ísland ""the cold""",,103000,FALSE,,,"two',
      'lines"',
    ].join('\r\n');
    const countries = seed('country_codes', ['Code', 'name', 'population', 'area_km2', 'eu_member', 'joined_on', 'updated_at', 'note']);

    it('loads typed columns, NULLs, empty strings and quoted values', async () => {
      const result = await loadSeed(warehouse, countries, csv);
      expect(result.rowsAffected).toBe(3);
      expect(await columnsOf('reference', 'country_codes')).toEqual([
        'code text',
        'name text',
        'population integer',
        'area_km2 numeric',
        'eu_member boolean',
        'joined_on date',
        'updated_at timestamp without time zone',
        'note text',
      ]);
      expect(await rows('select code, name, population, eu_member, joined_on::text, note from reference.country_codes order by code')).toEqual([
        { code: 'DE', name: 'Germany', population: 83200000, eu_member: true, joined_on: '1958-01-01', note: null },
        { code: 'IS', name: 'Ísland "the cold"', population: null, eu_member: false, joined_on: null, note: 'two\r\nlines' },
        { code: 'NO', name: 'Norway, Kingdom of', population: 5500000, eu_member: false, joined_on: null, note: '' },
      ]);
    });

    it('replaces the table on reload, following column_types, in 500-row statements', async () => {
      await loadSeed(warehouse, countries, csv);
      const many = ['code,population', ...Array.from({ length: 1203 }, (_, index) => `C${index},${index}`)].join('\n');
      const result = await loadSeed(warehouse, seed('country_codes', ['code', 'population'], { column_types: { population: 'integer' } }), many);
      expect(result.rowsAffected).toBe(1203);
      expect(result.statements.filter((sql) => sql.startsWith('insert'))).toHaveLength(3);
      expect(await columnsOf('reference', 'country_codes')).toEqual(['code text', 'population integer']);
      expect(await count('reference.country_codes')).toBe(1203);
    });
  });

  describe('data tests', () => {
    const nullStatus = 'select * from raw.orders where status is null';

    it('passes when the query returns no rows', async () => {
      expect(await runDataTest(warehouse, dataTest(nullStatus))).toMatchObject({ status: 'pass', failures: 0 });
    });

    it('fails with severity error and warns with severity warn', async () => {
      await db.query('update raw.orders set status = null where order_id <= 3');
      expect(await runDataTest(warehouse, dataTest(nullStatus))).toMatchObject({ status: 'fail', failures: 3 });
      expect(await runDataTest(warehouse, dataTest(nullStatus, { severity: 'warn' }))).toMatchObject({ status: 'warn', failures: 3 });
    });

    it('honours warn_if and error_if thresholds, fail_calc and limit', async () => {
      await db.query('update raw.orders set status = null where order_id <= 12');
      expect(await runDataTest(warehouse, dataTest(nullStatus, { warn_if: '> 10', error_if: '> 20' }))).toMatchObject({ status: 'warn', failures: 12 });
      expect(await runDataTest(warehouse, dataTest(nullStatus, { warn_if: 'between 20 and 30', error_if: '>= 50' }))).toMatchObject({ status: 'pass' });
      expect(await runDataTest(warehouse, dataTest(nullStatus, { error_if: '>= 10' }))).toMatchObject({ status: 'fail', failures: 12 });
      expect(await runDataTest(warehouse, dataTest(nullStatus, { limit: 5 }))).toMatchObject({ status: 'fail', failures: 5 });
      expect(await runDataTest(warehouse, dataTest(nullStatus, { fail_calc: 'sum(amount)' }))).toMatchObject({ failures: 117 });
    });
  });
});
