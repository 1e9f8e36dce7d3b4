// dbt's warehouse calls while a model renders to run (run_query, statement blocks,
// adapter.get_relation, adapter.get_columns_in_relation), and dbt's `dbt.` cross-database
// macros, on PostgreSQL and on the emulated Redshift (its production adapter through the Data
// API emulator): a model pivots on the distinct values a query returns, another selects every
// column but one, and every macro's SQL gives the values dbt documents.

import { createHash } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getPostgresConn } from '../../src/connections.js';
import { renderWithIntrospection } from '../../src/manifest/index.js';
import { introspectionAnswers } from '../../src/run/introspection-answers.js';
import { PostgresWarehouse } from '../../src/warehouse/postgres-warehouse.js';
import type { Warehouse } from '../../src/warehouse/warehouse.js';
import { DBT_AGGREGATE_MODEL, DBT_DATE_SPINE_MODEL, DBT_MACRO_MODEL } from '../support/dbt-macro-model.js';
import { emulatedWarehouse } from '../support/emulated-redshift.js';
import { type RedshiftEmulator, startRedshiftEmulator } from '../support/redshift-emulator/index.js';
import { createTestDatabase, type TestDatabase, testS3Endpoint } from '../support/test-env.js';
import { testPool } from '../support/test-pool.js';
import { bareProject, compileCompiled, nodeNamed, type TargetType } from '../unit/compile-fixture.js';

const RAW = `
  create schema raw;
  create table raw.orders (order_id int, customer_id int, status varchar(20), amount numeric(10,2));
  insert into raw.orders values (1, 1, 'placed', 10), (2, 1, 'shipped', 5), (3, 2, 'placed', 7), (4, 2, 'returned', 2);
  create table raw.customers (customer_id int, email varchar(80), segment varchar(20));
  insert into raw.customers values (1, 'a@example.com', 'retail'), (2, 'b@example.com', 'b2b');`;

const PIVOT = `{%- set found = run_query("select distinct status from " ~ source('shop', 'orders') ~ " order by 1") -%}
{%- set statuses = found.columns[0].values() if found else [] -%}
select customer_id
{%- for status in statuses %},
    sum(case when status = '{{ status }}' then amount else 0 end) as {{ adapter.quote(status ~ '_amount') }}
{%- endfor %}
from {{ source('shop', 'orders') }}
group by customer_id
order by customer_id`;

const ALL_BUT_EMAIL = `{%- set customers = adapter.get_relation(database=none, schema='raw', identifier='customers') -%}
{%- set absent = adapter.get_relation(none, 'raw', 'no_such_table') -%}
{%- set kept = [] -%}
{%- for column in adapter.get_columns_in_relation(source('shop', 'customers')) -%}
    {%- if column.name != 'email' -%}{%- set _ = kept.push(column.quoted ~ ' /* ' ~ column.data_type ~ ' */') -%}{%- endif -%}
{%- endfor -%}
{%- call statement('counted', fetch_result=true) -%} select count(*) as n from {{ customers }} {%- endcall -%}
{%- set counted = load_result('counted') -%}
select {{ kept | join(', ') }},
    '{{ customers.type if customers else "none" }}' as customers_type,
    '{{ absent.type if absent else "none" }}' as absent_type,
    {{ counted['data'][0][0] if counted else 0 }} as customer_count
from {{ source('shop', 'customers') }}
order by customer_id`;

/** Values as text (null stays null), so both warehouses' JavaScript types compare. */
const asText = (rows: readonly (readonly unknown[])[]): (string | null)[][] => rows.map((row) => row.map((value) => (value === null ? null : String(value))));

describe.each(['postgres', 'redshift'] as const satisfies readonly TargetType[])('dbt introspection and dbt. macros on %s', (type) => {
  let db: TestDatabase;
  let admin: pg.Pool;
  let emulator: RedshiftEmulator | undefined;
  let warehouse: Warehouse;

  beforeAll(async () => {
    db = await createTestDatabase(`dbt_introspection_${type}`);
    if (type === 'postgres') {
      admin = testPool({ connectionString: db.url, max: 1 });
      warehouse = new PostgresWarehouse(getPostgresConn({ connectionString: db.url, max: 2 }), () => {
        throw new Error('no S3 here');
      });
    } else {
      emulator = await startRedshiftEmulator({ postgresUrl: db.url, s3Endpoint: testS3Endpoint() });
      admin = testPool({ connectionString: db.url, options: emulator.connectionOptions, max: 1 });
      warehouse = emulatedWarehouse(emulator, { iamRole: undefined });
    }
    await admin.query(RAW);
  });

  afterAll(async () => {
    await warehouse?.close();
    await admin?.end();
    await emulator?.close();
    await db?.drop();
  });

  async function project(models: Record<string, string>) {
    return compileCompiled(await bareProject(models), type);
  }

  async function renderToRun(models: Record<string, string>, name: string): Promise<string> {
    const compiled = await project(models);
    const node = nodeNamed(compiled.manifest, name);
    return (await renderWithIntrospection(compiled, node.unique_id, {}, introspectionAnswers(warehouse))).compiled_code;
  }

  it('pivots on the distinct values run_query returns; compiling, run_query answers none', async () => {
    const compiled = await project({ 'models/pivot.sql': PIVOT });
    expect((nodeNamed(compiled.manifest, 'pivot') as { compiled_code: string }).compiled_code).not.toMatch(/_amount/);
    const sql = await renderToRun({ 'models/pivot.sql': PIVOT }, 'pivot');
    const result = await warehouse.queryTable(sql);
    expect(result.columns).toEqual(['customer_id', 'placed_amount', 'returned_amount', 'shipped_amount']);
    expect(asText(result.rows)).toEqual([
      ['1', '10.00', '0', '5.00'],
      ['2', '7.00', '2.00', '0'],
    ]);
  });

  it('selects every column but one from get_columns_in_relation, with get_relation and a statement block', async () => {
    const sql = await renderToRun({ 'models/customers_public.sql': ALL_BUT_EMAIL }, 'customers_public');
    expect(sql).toContain('"segment" /* character varying(20) */');
    const result = await warehouse.queryTable(sql);
    expect(result.columns).toEqual(['customer_id', 'segment', 'customers_type', 'absent_type', 'customer_count']);
    expect(asText(result.rows)).toEqual([
      ['1', 'retail', 'table', 'none', '2'],
      ['2', 'b2b', 'table', 'none', '2'],
    ]);
  });

  it("runs every dbt. scalar macro to dbt's documented values", async () => {
    const result = await warehouse.queryTable(await renderToRun({ 'models/probe.sql': DBT_MACRO_MODEL }, 'probe'));
    const row = Object.fromEntries(result.columns.map((column, index) => [column, asText(result.rows)[0]![index]]));
    expect(row).toEqual({
      month_start: '2024-02-01 00:00:00',
      plus_days: '2024-02-13 13:45:30',
      minus_month: '2024-01-10 13:45:30',
      days_between: '100',
      months_between: '3',
      hours_between: '2395',
      month_end: '2024-02-29',
      doubled: 'a,b,c-a,b,c',
      csv_md5: createHash('md5').update('a,b,c', 'utf8').digest('hex'),
      number_value: '12',
      not_a_number: null,
      second_part: 'b',
      last_part: 'c',
      flag_text: 'true',
      escaped: "it's",
      literal: "O'Brien",
      b_at: '3',
      csv_length: '5',
      semicolons: 'a;b;c',
      last_three: 'b,c',
      a_float: '1.5',
      a_numeric: '2.250000',
      a_bigint: '7',
      a_string: 'x',
      a_timestamp: '2024-01-01 00:00:00',
      a_boolean: 'true',
      has_now: 'true',
    });
  });

  it('aggregates with dbt.listagg (ordered, limited), dbt.any_value and dbt.bool_or', async () => {
    const result = await warehouse.queryTable(await renderToRun({ 'models/probe.sql': DBT_AGGREGATE_MODEL }, 'probe'));
    expect(asText(result.rows)).toEqual([['c,a,b', 'a|b', 'a', 'true']]);
  });

  it('builds a date spine whose length a statement block asked of the warehouse', async () => {
    const result = await warehouse.queryTable(await renderToRun({ 'models/probe.sql': DBT_DATE_SPINE_MODEL }, 'probe'));
    expect(result.columns).toEqual(['date_day']);
    expect(asText(result.rows)).toEqual([['2024-02-27 00:00:00'], ['2024-02-28 00:00:00'], ['2024-02-29 00:00:00'], ['2024-03-01 00:00:00']]);
  });
});
