// The shop project's own models, macros and seeds (models/, macros/, seeds/ at the repository
// root), run through the real CLI against generated shop data: a backfill, then one more day
// with late-arriving orders, then that day again. Also: the PII macros give the same output
// from their PostgreSQL and their Redshift SQL, and `pgshift compile` works for both targets.

import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileProject } from '../../src/compile/index.js';
import type { Manifest } from '../../src/manifest/index.js';
import { loadProjectFiles } from '../../src/project-files/load-project-files.js';
import { loadProject } from '../../src/config/load-project.js';
import { simulateShopDay } from '../../src/local/shop-data.js';
import { deleteShopRows, type ShopDeleteResult } from '../../src/local/shop-deletes.js';
import { readRunResults } from '../../src/run/run-results.js';
import { startRedshiftEmulator, type RedshiftEmulator } from '../support/redshift-emulator/index.js';
import { runCli } from '../support/run-cli.js';
import { expectShopAccessAndLeak } from '../support/shop-access.js';
import { createShopFixture, REDSHIFT_SHIMS_SQL, type ShopFixture } from '../support/shop-project.js';
import { createTestDatabase, testS3Endpoint, type TestDatabase } from '../support/test-env.js';
import { testPool } from '../support/test-pool.js';
import { queryAs } from '../support/query-as.js';

const PII_KEY = 'shop-models-test-key';
const BACKFILL = ['--start', '2026-10-01', '--end', '2026-11-22'];
const DAY_TWO = '2026-11-22';
const CLI_TIMEOUT = 240_000;

const MODEL_TABLES = [
  'analytics_staging.stg_customers',
  'analytics_staging.stg_orders',
  'analytics_staging.stg_products',
  'analytics_staging.stg_sales',
  'analytics_marts.dim_customers',
  'analytics_marts.dim_products',
  'analytics_marts.fct_orders',
  'analytics_marts.fct_sales',
  'analytics_reports.daily_sales',
  'analytics_reports.product_performance',
  'analytics_reports.customer_lifetime_value',
  'analytics_reports.new_vs_returning_customers',
  'analytics_reports.cohort_retention',
];

/** What the staging model must say about an address, decided here by JSON.parse. */
function expectedAddressStatus(text: string | null): string {
  if (text === null || text.trim() === '') return 'missing';
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'malformed';
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return 'malformed';
  const address = value as Record<string, unknown>;
  const geo = (address.geo ?? {}) as Record<string, unknown>;
  const present = (part: unknown) => part !== undefined && part !== null && String(part).trim() !== '';
  return [address.street, address.city, address.postal_code, address.country, geo.lat, geo.lon].every(present) ? 'ok' : 'partial';
}

/** daily_sales of one day computed straight from the source tables, as text. */
async function dailySalesFromSource(source: pg.Pool, day: string): Promise<Record<string, string>> {
  const { rows } = await source.query(
    `with lines as (
       select order_id, sum(quantity) as units, sum(round(quantity * unit_price * (100 - discount) / 100, 2)) as revenue
         from public.sales group by order_id
     ),
     sold as (
       select coalesce(o.quantity, l.units, 1) as quantity, coalesce(l.revenue, 0) as revenue
         from public.orders o left join lines l on l.order_id = o.id
        where lower(btrim(o.status)) <> 'cancelled' and (o.created_at at time zone 'UTC')::date = $1::date
     )
     select count(*)::text as orders, sum(quantity)::text as units, sum(revenue)::text as revenue,
            round(sum(revenue) / count(*), 2)::text as average_order_value
       from sold`,
    [day],
  );
  return rows[0];
}

/**
 * After a run of `day` that followed deleteShopRows: the deleted orders are flagged in fct_orders
 * and left out of daily_sales, the deleted customer is gone from dim_customers.
 */
async function expectDeletesInMarts(db: pg.Pool, src: pg.Pool, deleted: ShopDeleteResult): Promise<void> {
  const orders = await db.query<{ id: string; is_deleted: boolean }>(
    'select order_id::text as id, is_deleted from analytics_marts.fct_orders where order_id = any($1::bigint[]) order by order_id',
    [deleted.orderIds],
  );
  expect(orders.rows).toEqual(deleted.orderIds.map((id) => ({ id, is_deleted: true })));
  const customers = await db.query('select customer_id from analytics_marts.dim_customers where customer_id = any($1::bigint[])', [deleted.customerIds]);
  expect(customers.rows).toEqual([]);
  const flagged = await db.query<{ n: number }>('select count(*)::int as n from analytics_marts.fct_orders where is_deleted');
  expect(flagged.rows[0]!.n).toBe(deleted.orders);
  // The reports count what the source still holds.
  const days = await db.query<{ day: string }>(
    `select distinct to_char(order_date, 'YYYY-MM-DD') as day from analytics_marts.fct_orders where order_id = any($1::bigint[])`,
    [deleted.orderIds],
  );
  for (const { day } of days.rows) {
    const sales = await db.query(
      `select orders::text, units::text, revenue::text, average_order_value::text from analytics_reports.daily_sales where order_date = $1::date`,
      [day],
    );
    expect(sales.rows[0] ?? {}, day).toEqual(await dailySalesFromSource(src, day));
  }
}

describe('the shop project on PostgreSQL, through the CLI', () => {
  let rolePrefix: string;
  let warehouse: TestDatabase;
  let projectDir: string;
  let env: Record<string, string>;
  let src: pg.Pool;
  let db: pg.Pool;

  const cli = (...args: string[]) => runCli(['--project-dir', projectDir, '--target', 'dev', ...args], env);
  const runResults = async () => (await readRunResults(path.join(projectDir, 'target')))!;
  const expectEverythingPassed = async () => {
    const results = (await runResults()).results;
    const notPassed = results.filter((result) => !['success', 'pass'].includes(result.status)).map((result) => `${result.unique_id}: ${result.status}`);
    expect(notPassed).toEqual([]);
    return results;
  };
  const checksums = async () => {
    const sums: Record<string, string> = {};
    for (const relation of MODEL_TABLES) {
      // Without when the row's batch was loaded: a re-run loads the day again, at its own time.
      const row = "(to_jsonb(t) - '_pgshift_loaded_at')::text";
      const { rows } = await db.query(`select count(*)::int as n, md5(coalesce(string_agg(${row}, '|' order by ${row}), '')) as sum from ${relation} t`);
      sums[relation] = `${rows[0].n}:${rows[0].sum}`;
    }
    return sums;
  };

  let fixture: ShopFixture | undefined;
  beforeAll(async () => {
    fixture = await createShopFixture('shop_models', PII_KEY);
    ({ warehouse, projectDir, src, db, rolePrefix } = fixture);
    env = { ...fixture.env, PGSHIFT_WAREHOUSE_URL: warehouse.url };
  });

  afterAll(async () => fixture?.close());

  it(
    'backfills the history: every source, seed, model and test succeeds',
    async () => {
      const run = await cli('run', ...BACKFILL);
      expect(run.code, run.stderr).toBe(0);
      const results = await expectEverythingPassed();
      const byType = (prefix: string) => results.filter((result) => result.unique_id.startsWith(prefix)).length;
      expect({ sources: byType('source.'), seeds: byType('seed.'), models: byType('model.') }).toEqual({ sources: 4, seeds: 2, models: 13 });
      expect(byType('test.')).toBeGreaterThanOrEqual(70);
      const { rows } = await db.query('select count(*)::int as n from analytics_marts.fct_orders');
      expect(rows[0].n).toBe(3000);
      // `pgshift run` ends with the day's report, read from the report models.
      expect(await readdir(path.join(projectDir, 'target', 'reports', '2026-11-21'))).toContain('index.html');
    },
    CLI_TIMEOUT,
  );

  it('keeps every customer, flagging missing, partial and malformed addresses', async () => {
    const sourceRows = await src.query<{ id: string; address: string | null }>('select id::text, address from public.customers');
    const { rows } = await db.query<{ customer_id: string; address_status: string; city: string | null }>(
      'select customer_id::text, address_status, city from analytics_staging.stg_customers',
    );
    expect(rows).toHaveLength(sourceRows.rows.length);
    const status = new Map(rows.map((row) => [row.customer_id, row.address_status]));
    for (const customer of sourceRows.rows) expect([customer.id, status.get(customer.id)]).toEqual([customer.id, expectedAddressStatus(customer.address)]);
    const counts: Record<string, number> = {};
    for (const row of rows) counts[row.address_status] = (counts[row.address_status] ?? 0) + 1;
    expect(counts.malformed).toBeGreaterThan(0);
    expect(counts.partial).toBeGreaterThan(0);
    expect(counts.missing).toBeGreaterThan(0);
    // Malformed rows are kept whole, only their address columns are empty.
    expect(rows.filter((row) => row.address_status === 'malformed').every((row) => row.city === null)).toBe(true);
  });

  it('normalises e-mails, phones, statuses and NULL quantities in staging', async () => {
    const emails = await db.query(`select count(*)::int as n from analytics_staging.stg_customers where email <> lower(trim(email))`);
    expect(emails.rows[0].n).toBe(0);
    const phones = await db.query<{ phone: string }>(`select phone from analytics_staging.stg_customers where phone is not null`);
    expect(phones.rows.length).toBeGreaterThan(0);
    for (const { phone } of phones.rows) expect(phone).toMatch(/^\+[1-9][0-9]{6,14}$/);
    const statuses = await db.query<{ status: string }>('select distinct status from analytics_staging.stg_orders order by 1');
    expect(statuses.rows.map((row) => row.status)).toEqual(['cancelled', 'delivered', 'pending', 'shipped']);
    const quantities = await db.query<{ quantity_source: string; n: number; nulls: number }>(
      `select quantity_source, count(*)::int as n, count(*) filter (where quantity is null)::int as nulls from analytics_staging.stg_orders group by 1 order by 1`,
    );
    const nullInSource = await src.query('select count(*)::int as n from public.orders where quantity is null');
    expect(nullInSource.rows[0].n).toBeGreaterThan(0);
    expect(quantities.rows.every((row) => row.nulls === 0)).toBe(true);
    expect(quantities.rows.find((row) => row.quantity_source === 'order_lines')?.n).toBe(nullInSource.rows[0].n);
  });

  it('masks dim_customers: no clear e-mail, phone, name, street or birth date in any column', async () => {
    const people = await src.query<{
      email: string | null;
      phone: string | null;
      first_name: string;
      last_name: string;
      street: string | null;
      birth_date: string | null;
      national_id: string | null;
    }>(
      `select email, phone, first_name, last_name, birth_date::text as birth_date, national_id,
              case when address ~ '"street":"[^"]+"' then substring(address from '"street":"([^"]+)"') end as street
         from public.customers`,
    );
    const { rows } = await db.query<{ row: Record<string, unknown> }>('select to_jsonb(t) as row from analytics_marts.dim_customers t');
    expect(rows).toHaveLength(people.rows.length);
    const cells = rows.flatMap(({ row }) =>
      Object.values(row)
        .filter((value) => value !== null)
        .map((value) => String(value).toLowerCase()),
    );
    const contained = (needle: string) => cells.some((cell) => cell.includes(needle));
    const equal = new Set(cells);
    const leaks: string[] = [];
    for (const person of people.rows) {
      if (person.email && contained(person.email.trim().toLowerCase())) leaks.push(`email ${person.email}`);
      if (person.phone && contained(person.phone.toLowerCase())) leaks.push(`phone ${person.phone}`);
      const digits = person.phone?.replace(/[^0-9]/g, '') ?? '';
      if (digits.length >= 7 && contained(digits.slice(1))) leaks.push(`phone digits ${digits}`);
      if (person.national_id && contained(person.national_id)) leaks.push(`national id ${person.national_id}`);
      if (person.street && contained(person.street.toLowerCase())) leaks.push(`street ${person.street}`);
      if (person.birth_date && contained(person.birth_date)) leaks.push(`birth date ${person.birth_date}`);
      for (const name of [person.first_name, person.last_name]) if (equal.has(name.toLowerCase())) leaks.push(`name ${name}`);
      if (contained(`${person.first_name} ${person.last_name}`.toLowerCase())) leaks.push(`full name ${person.first_name} ${person.last_name}`);
    }
    expect(leaks).toEqual([]);
    // Nothing that even looks like an e-mail address is left, and the hash is the keyed SHA-256.
    expect(cells.filter((cell) => /[a-z0-9._%+-]+@[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}/.test(cell))).toEqual([]);
    const sample = await db.query<{ customer_id: string; email_hash: string; email_masked: string }>(
      'select customer_id::text, email_hash, email_masked from analytics_marts.dim_customers where email_hash is not null order by customer_id limit 5',
    );
    for (const row of sample.rows) {
      const email = (await src.query<{ email: string }>('select lower(trim(email)) as email from public.customers where id = $1', [row.customer_id])).rows[0]!
        .email;
      expect(row.email_hash).toBe(createHash('sha256').update(`${PII_KEY}|${email}`, 'utf8').digest('hex'));
      expect(row.email_masked).toBe(`${email[0]}***@${email.split('@')[1]}`);
    }
  });

  let lateIds: string[] = [];
  let dayTwoSums: Record<string, string> = {};

  it(
    'merges the next day, late-arriving orders included, into the incremental facts',
    async () => {
      const before = await src.query('select max(id)::bigint as id from public.orders');
      const day = await simulateShopDay(src, { seed: 7, date: DAY_TWO, newOrders: 120, updatedOrders: 80, lateOrders: 15 });
      expect(day.late).toBe(15);
      const late = await src.query<{ id: string }>(`select id::text from public.orders where id > $1 and created_at < $2::timestamptz order by id`, [
        before.rows[0].id,
        `${DAY_TWO}T00:00:00Z`,
      ]);
      lateIds = late.rows.map((row) => row.id);
      expect(lateIds).toHaveLength(15);

      const run = await cli('run', '--date', DAY_TWO);
      expect(run.code, run.stderr).toBe(0);
      const results = await expectEverythingPassed();
      expect(await readdir(path.join(projectDir, 'target', 'reports', DAY_TWO))).toContain('index.html');
      const fct = results.find((result) => result.unique_id === 'model.shop_analytics.fct_orders')!;
      // Merged, not rebuilt: far fewer rows than the whole table.
      expect(fct.rows_affected).toBeGreaterThanOrEqual(120 + 15 + 80);
      expect(fct.rows_affected).toBeLessThan(1000);

      // The late orders reached raw only with this day's batch (the lookback), and the facts now hold them.
      const raw = await db.query<{ batch: string }>('select distinct _pgshift_batch_id as batch from raw.orders where id = any($1::bigint[])', [lateIds]);
      expect(raw.rows.map((row) => row.batch)).toEqual([DAY_TWO]);
      const merged = await db.query<{ order_id: string; order_date: string }>(
        `select order_id::text, to_char(order_date, 'YYYY-MM-DD') as order_date from analytics_marts.fct_orders where order_id = any($1::bigint[]) order by order_id`,
        [lateIds],
      );
      expect(merged.rows.map((row) => row.order_id)).toEqual(lateIds);
      expect(new Set(merged.rows.map((row) => row.order_date))).toEqual(new Set(['2026-11-21']));

      // Every order, changed or not, matches the source: status and line count.
      const expected = await src.query<{ id: string; status: string; lines: number }>(
        `select o.id::text, lower(btrim(o.status)) as status, (select count(*)::int from public.sales s where s.order_id = o.id) as lines from public.orders o order by o.id`,
      );
      const actual = await db.query<{ id: string; status: string; lines: number }>(
        'select order_id::text as id, status, line_count as lines from analytics_marts.fct_orders order by order_id',
      );
      expect(actual.rows).toEqual(expected.rows);
      dayTwoSums = await checksums();
    },
    CLI_TIMEOUT,
  );

  it(
    're-running the day changes nothing',
    async () => {
      const run = await cli('run', '--date', DAY_TWO);
      expect(run.code, run.stderr).toBe(0);
      await expectEverythingPassed();
      expect(await checksums()).toEqual(dayTwoSums);
    },
    CLI_TIMEOUT,
  );

  it('reports match a computation on the source for one day', async () => {
    const day = '2026-11-21';
    const sales = await db.query(
      `select orders::text, units::text, revenue::text, average_order_value::text from analytics_reports.daily_sales where order_date = $1::date`,
      [day],
    );
    expect(sales.rows[0]).toEqual(await dailySalesFromSource(src, day));

    // Customers: first order day (cancelled orders left out) and revenue to date, from the source.
    const direct = await src.query(
      `with lines as (
         select order_id, sum(round(quantity * unit_price * (100 - discount) / 100, 2)) as revenue from public.sales group by order_id
       ),
       sold as (
         select o.customer_id, (o.created_at at time zone 'UTC')::date as order_date, coalesce(l.revenue, 0) as revenue
           from public.orders o left join lines l on l.order_id = o.id
          where lower(btrim(o.status)) <> 'cancelled'
       ),
       firsts as (select customer_id, min(order_date) as first_day from sold group by customer_id)
       select
         (select count(distinct customer_id)::text from sold join firsts using (customer_id) where order_date = $1::date and first_day = $1::date) as new_customers,
         (select count(distinct customer_id)::text from sold join firsts using (customer_id) where order_date = $1::date and first_day < $1::date) as returning_customers,
         (select count(*)::text from firsts) as customers,
         (select sum(revenue)::text from sold) as all_revenue`,
      [day],
    );
    const expected = direct.rows[0];
    const customers = await db.query(
      `select new_customers::text, returning_customers::text from analytics_reports.new_vs_returning_customers where order_date = $1::date`,
      [day],
    );
    expect(customers.rows[0]).toEqual({ new_customers: expected.new_customers, returning_customers: expected.returning_customers });
    const lifetime = await db.query(`select count(*)::text as customers, sum(revenue)::text as all_revenue from analytics_reports.customer_lifetime_value`);
    expect(lifetime.rows[0]).toEqual({ customers: expected.customers, all_revenue: expected.all_revenue });

    // The report generator's column contract.
    const columns = await db.query<{ table_name: string; columns: string }>(
      `select table_name, string_agg(column_name || ' ' || data_type, ', ' order by ordinal_position) as columns
         from information_schema.columns where table_schema = 'analytics_reports' group by table_name order by table_name`,
    );
    expect(Object.fromEntries(columns.rows.map((row) => [row.table_name, row.columns]))).toEqual({
      cohort_retention: 'cohort_month date, months_since_first bigint, customers bigint, cohort_size bigint, retention_rate numeric',
      customer_lifetime_value: 'customer_id bigint, first_order_date date, last_order_date date, orders bigint, revenue numeric, lifetime_value numeric',
      daily_sales: 'order_date date, orders bigint, units bigint, revenue numeric, average_order_value numeric',
      new_vs_returning_customers: 'order_date date, new_customers bigint, returning_customers bigint',
      product_performance: 'product_id bigint, product_name text, category text, orders bigint, units bigint, revenue numeric, revenue_rank bigint',
    });
  });

  it(
    'gives the same staging tables and facts incrementally as a full refresh',
    async () => {
      const build = await cli('build', '--select', 'stg_customers stg_sales stg_orders fct_orders fct_sales', '--full-refresh', '--date', DAY_TWO);
      expect(build.code, build.stderr).toBe(0);
      const sums = await checksums();
      for (const relation of ['analytics_staging.stg_customers', 'analytics_staging.stg_sales', 'analytics_staging.stg_orders'])
        expect(sums[relation], relation).toBe(dayTwoSums[relation]);
      expect(sums['analytics_marts.fct_orders']).toBe(dayTwoSums['analytics_marts.fct_orders']);
      expect(sums['analytics_marts.fct_sales']).toBe(dayTwoSums['analytics_marts.fct_sales']);
    },
    CLI_TIMEOUT,
  );

  it(
    'reads a batch extracted days ago and loaded only now into staging; its older versions lose to newer ones',
    async () => {
      const client = await db.connect();
      const status = async (id: string) =>
        (await db.query<{ status: string }>('select status from analytics_staging.stg_orders where order_id = $1', [id])).rows[0]?.status;
      const { rows } = await db.query<{ id: string; next: string }>(
        `select min(order_id)::text as id, (max(order_id) + 1000)::text as next from analytics_staging.stg_orders where status = 'delivered'`,
      );
      const { id: known, next: unseen } = rows[0]!;
      try {
        // A week-old batch, loaded after every later day: an older version of a known order and an
        // order no later batch holds. A window on the rows' extraction times would pass over both.
        await client.query(`create temp table late_rows as select * from raw.orders where id = $1 order by _pgshift_extracted_at desc limit 1`, [known]);
        await client.query(`insert into late_rows select * from late_rows`);
        await client.query(
          `update late_rows set _pgshift_batch_id = 'late-batch', _pgshift_extracted_at = timestamptz '2026-11-15 01:00:00+00', status = 'pending'`,
        );
        await client.query(`update late_rows set id = $1 where ctid = (select min(ctid) from late_rows)`, [unseen]);
        await client.query('insert into raw.orders select * from late_rows');
        await client.query(
          `insert into pgshift_meta.batches select source, table_name, 'late-batch', mode, interval_start, interval_end, 2, bytes_compressed, bytes_uncompressed,
             parts, timestamptz '2026-11-15 01:00:00+00', extract_seconds, now(), load_seconds, status, manifest_url
             from pgshift_meta.batches where table_name = 'orders' and status = 'loaded' limit 1`,
        );
        const build = await cli('build', '--select', 'stg_orders', '--date', DAY_TWO);
        expect(build.code, build.stderr).toBe(0);
        expect(await status(unseen)).toBe('pending');
        expect(await status(known)).toBe('delivered');
      } finally {
        await client.query(`delete from raw.orders where _pgshift_batch_id = 'late-batch'`);
        await client.query(`delete from pgshift_meta.batches where batch_id = 'late-batch'`);
        client.release();
      }
      const rebuild = await cli('build', '--select', 'stg_orders', '--full-refresh', '--date', DAY_TWO);
      expect(rebuild.code, rebuild.stderr).toBe(0);
      expect((await checksums())['analytics_staging.stg_orders']).toBe(dayTwoSums['analytics_staging.stg_orders']);
    },
    CLI_TIMEOUT,
  );

  it('lets each role read exactly what pgshift.yml declares (logged in as a member of the role)', async () => {
    const member = `${rolePrefix}member`;
    const as = async (role: string, sql: string): Promise<string> => {
      await db.query(`drop role if exists "${member}"; create role "${member}" login password 'member'; grant "${rolePrefix}${role}" to "${member}"`);
      try {
        const outcome = await queryAs(warehouse.url, member, sql, 'member');
        return outcome === 'ok' ? 'allowed' : outcome === '42501' ? 'denied' : outcome;
      } finally {
        await db.query(`drop owned by "${member}"; drop role "${member}"`);
      }
    };
    expect(await as('marketing', 'select count(*) from analytics_reports.daily_sales')).toBe('allowed');
    expect(await as('marketing', 'select count(*) from analytics_marts.dim_customers')).toBe('allowed');
    expect(await as('marketing', 'select count(*) from raw.customers')).toBe('denied');
    expect(await as('marketing', 'select email from analytics_staging.stg_customers limit 1')).toBe('denied');
    expect(await as('marketing', 'delete from analytics_reports.daily_sales')).toBe('denied');
    expect(await as('marketing', 'create table analytics_reports.mine (id int)')).toBe('denied');
    expect(await as('engineer', 'select count(*) from raw.customers')).toBe('allowed');
    expect(await as('engineer', 'delete from raw.customers')).toBe('denied');
    expect(await as('loader', 'delete from raw.orders where false')).toBe('allowed');
    expect(await as('pii_admin', 'select email from analytics_staging.stg_customers limit 1')).toBe('allowed');
  });

  it(
    'compiles for dev, and for prod only with PGSHIFT_PII_KEY set',
    async () => {
      const dev = await cli('compile');
      expect(dev.code, dev.stderr).toBe(0);
      const prod = await runCli(['--project-dir', projectDir, '--target', 'prod', 'compile'], { ...env, PGSHIFT_PII_KEY: 'a-production-key' });
      expect(prod.code, prod.stderr).toBe(0);
      const manifest = JSON.parse(await readFile(path.join(projectDir, 'target', 'manifest.json'), 'utf8')) as Manifest;
      const dim = Object.values(manifest.nodes).find((node) => node.name === 'dim_customers')!;
      // The key keys the hash in the warehouse but is masked in everything written to target/.
      expect(dim.resource_type === 'model' && dim.compiled_code).toContain("sha2(cast('***' || '|' ||");
      expect(JSON.stringify(manifest)).not.toContain('a-production-key');
      const keyless = await runCli(['--project-dir', projectDir, '--target', 'prod', 'compile'], { ...env, PGSHIFT_PII_KEY: '' });
      expect(keyless.code).toBe(1);
      expect(keyless.stderr).toMatch(/PGSHIFT_PII_KEY is not set: target 'prod' needs the secret key/);
    },
    CLI_TIMEOUT,
  );

  it(
    'writes the report only from a run that built the report tables',
    async () => {
      const reports = path.join(projectDir, 'target', 'reports');
      expect(existsSync(path.join(reports, DAY_TWO, 'index.html'))).toBe(true);
      await rm(reports, { recursive: true, force: true });
      const sourcesOnly = await cli('run', '--date', DAY_TWO, '--select', 'source:shop');
      expect(sourcesOnly.code, sourcesOnly.stderr).toBe(0);
      expect(existsSync(reports)).toBe(false);
    },
    CLI_TIMEOUT,
  );

  it(
    'flags orders deleted in the source and drops a deleted customer on the next run; a re-inserted order comes back',
    async () => {
      const deleted = await deleteShopRows(src, { seed: 11, orders: 3, customers: 1 });
      expect(deleted.customers).toBe(1);
      expect(deleted.orders).toBeGreaterThan(3);
      await simulateShopDay(src, { seed: 8, date: '2026-11-23', newOrders: 20, updatedOrders: 5, lateOrders: 0 });
      const run = await cli('run', '--date', '2026-11-23');
      expect(run.code, run.stderr).toBe(0);
      const results = await expectEverythingPassed();
      const orders = results.find((result) => result.unique_id === 'source.shop.orders')!;
      expect(orders.reconciliation).toMatchObject({ tombstones: deleted.orders });
      await expectDeletesInMarts(db, src, deleted);
      // The day's report shows each batch behind it, reconciled, with its tombstones.
      const page = await readFile(path.join(projectDir, 'target', 'reports', '2026-11-23', 'index.html'), 'utf8');
      expect(page).toContain('Every batch behind');
      expect(page).toMatch(
        new RegExp(
          `<td>shop\\.orders</td><td>2026-11-23</td><td class="num">\\d+</td><td class="num">\\d+</td><td class="num">\\d+</td><td class="num">${deleted.orders}</td><td>ok</td>`,
        ),
      );

      // The application restores one of the orders (not the deleted customer's) the next day.
      const { rows } = await db.query(
        `select id, customer_id, product_id, quantity, status, created_at from raw.orders
          where id = any($1::bigint[]) and customer_id <> all($2::bigint[]) and _pgshift_deleted_at is not null limit 1`,
        [deleted.orderIds, deleted.customerIds],
      );
      const order = rows[0]!;
      await src.query(
        `insert into public.orders (id, customer_id, product_id, quantity, status, created_at, updated_at) values ($1, $2, $3, $4, $5, $6, '2026-11-24 08:00:00+00')`,
        [order.id, order.customer_id, order.product_id, order.quantity, order.status, order.created_at],
      );
      await simulateShopDay(src, { seed: 9, date: '2026-11-24', newOrders: 20, updatedOrders: 5, lateOrders: 0 });
      const next = await cli('run', '--date', '2026-11-24');
      expect(next.code, next.stderr).toBe(0);
      await expectEverythingPassed();
      const back = await db.query('select is_deleted from analytics_marts.fct_orders where order_id = $1', [order.id]);
      expect(back.rows).toEqual([{ is_deleted: false }]);
    },
    CLI_TIMEOUT,
  );

  it(
    'pgshift access: each role reads what pgshift.yml declares, no leak; marketing given staging is a leak (exit 1), in the report too',
    async () => {
      // The backfill's run wrote its report after reconciling grants: the Access section is in it.
      const page = await readFile(
        path.join(projectDir, 'target', 'reports', (await readdir(path.join(projectDir, 'target', 'reports')))[0]!, 'index.html'),
        'utf8',
      );
      expect(page).toContain('<h2>Access</h2>');
      await expectShopAccessAndLeak(cli, projectDir);
    },
    CLI_TIMEOUT,
  );
});

// The Data API emulator runs the project's Redshift SQL on PostgreSQL (see README for what it
// translates and what it cannot prove): seeds, late-binding views, tables with DISTKEY/SORTKEY,
// incremental MERGEs, the PII macros, tests and the grants in Redshift's RBAC syntax.
describe('the shop project on Redshift, through the Data API emulator', () => {
  let warehouse: TestDatabase;
  let emulator: RedshiftEmulator;
  let projectDir: string;
  let env: Record<string, string>;
  let src: pg.Pool;
  let db: pg.Pool;
  const cli = (...args: string[]) => runCli(['--project-dir', projectDir, '--target', 'prod', ...args], env);

  let fixture: ShopFixture | undefined;
  beforeAll(async () => {
    fixture = await createShopFixture('shop_models_rs', PII_KEY);
    ({ warehouse, projectDir, src, db } = fixture);
    emulator = await startRedshiftEmulator({ postgresUrl: warehouse.url, s3Endpoint: testS3Endpoint() });
    env = {
      ...fixture.env,
      PGSHIFT_REDSHIFT_ENDPOINT: emulator.endpoint,
      PGSHIFT_REDSHIFT_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:pgshift-test',
      PGSHIFT_REDSHIFT_IAM_ROLE: 'arn:aws:iam::123456789012:role/pgshift-loader',
    };
  });

  afterAll(async () => {
    await emulator?.close();
    await fixture?.close();
  });

  it(
    'loads the sources, then builds seeds, staging, marts and reports with their tests',
    async () => {
      const load = await cli('run', ...BACKFILL, '--select', 'source:shop');
      expect(load.code, load.stderr).toBe(0);
      const build = await cli('build', ...BACKFILL);
      expect(build.code, build.stderr).toBe(0);
      const results = (await readRunResults(path.join(projectDir, 'target')))!.results;
      expect(results.filter((result) => !['success', 'pass'].includes(result.status))).toEqual([]);
      expect(
        results
          .filter((result) => result.unique_id.startsWith('model.'))
          .map((result) => result.unique_id.split('.')[2])
          .sort(),
      ).toEqual([
        'cohort_retention',
        'customer_lifetime_value',
        'daily_sales',
        'dim_customers',
        'dim_products',
        'fct_orders',
        'fct_sales',
        'new_vs_returning_customers',
        'product_performance',
        'stg_customers',
        'stg_orders',
        'stg_products',
        'stg_sales',
      ]);
      const day = '2026-11-21';
      const sales = await db.query(
        `select orders::text, units::text, revenue::text, average_order_value::text from analytics_reports.daily_sales where order_date = $1::date`,
        [day],
      );
      expect(sales.rows[0]).toEqual(await dailySalesFromSource(src, day));
    },
    CLI_TIMEOUT,
  );

  it(
    'runs two days at once with --threads 4: both complete, each batch once, no run waits on the other forever',
    async () => {
      const days = ['2026-11-20', '2026-11-21'];
      const runs = await Promise.all(
        days.map((day) => cli('run', '--date', day, '--threads', '4', '--select', 'source:shop', '--target-path', path.join('target', `concurrent-${day}`))),
      );
      for (const run of runs) expect(run.code, run.stderr).toBe(0);
      for (const table of ['customers', 'orders', 'sales']) {
        const duplicates = await db.query(`select id, _pgshift_batch_id, count(*)::int as n from "raw".${table} group by 1, 2 having count(*) > 1`);
        expect(duplicates.rows, table).toEqual([]);
        const records = await db.query(
          `select batch_id from pgshift_meta.batches where table_name = $1 and status = 'loaded' and batch_id = any($2) order by 1`,
          [table, days],
        );
        expect(
          records.rows.map((row) => row.batch_id),
          table,
        ).toEqual(days);
      }
    },
    CLI_TIMEOUT,
  );

  it(
    'flags orders deleted in the source and drops a deleted customer on the next run',
    async () => {
      const deleted = await deleteShopRows(src, { seed: 12, orders: 3, customers: 1 });
      await simulateShopDay(src, { seed: 8, date: DAY_TWO, newOrders: 20, updatedOrders: 5, lateOrders: 0 });
      const run = await cli('run', '--date', DAY_TWO);
      expect(run.code, run.stderr).toBe(0);
      const results = (await readRunResults(path.join(projectDir, 'target')))!.results;
      expect(results.filter((result) => !['success', 'pass'].includes(result.status))).toEqual([]);
      await expectDeletesInMarts(db, src, deleted);
    },
    CLI_TIMEOUT,
  );

  it(
    'pgshift access reads the grants from the SVV_* views: no leak on the shop; marketing given staging is a leak (exit 1)',
    async () => expectShopAccessAndLeak(cli, projectDir),
    CLI_TIMEOUT,
  );
});

describe('PII macros: the same output from the PostgreSQL and the Redshift SQL', () => {
  let database: TestDatabase;
  let db: pg.Pool;

  const PROBE = `
select
    input_id,
    {{ normalize_email('email') }} as email,
    {{ normalize_phone('phone') }} as phone,
    {{ pii_hash(normalize_email('email')) }} as email_hash,
    {{ pii_mask_email('email') }} as email_masked,
    {{ pii_phone_last_four('phone') }} as phone_last_four,
    {{ pii_birth_year('birth_date') }} as birth_year,
    {{ pii_age_years('birth_date', "cast('2026-11-22' as date)") }} as age_years,
    {{ pii_age_band(pii_age_years('birth_date', "cast('2026-11-22' as date)")) }} as age_band,
    {{ pii_redact('phone') }} as phone_redacted
from pii_inputs
order by input_id`;

  const INPUTS: Array<[number, string | null, string | null, string | null]> = [
    [1, 'Jane.Doe@Example.com', '+49 151 2345678', '1990-11-22'],
    [2, '  j.doe@web.de ', '0151/2345678', '1990-11-23'],
    [3, 'MAX.MUELLER1975@GMX.DE', '(030) 123-456', '2008-11-22'],
    [4, null, null, null],
    [5, '', '', '1950-02-28'],
    [6, 'no-at-sign', '0049 (0)89 1234567', '2000-02-29'],
    [7, '@example.com', '12', '1966-01-01'],
    [8, "o'brien+tag@example.co.uk", '+491512345678', '1961-12-31'],
  ];

  async function compileProbe(type: 'postgres' | 'redshift'): Promise<string> {
    const project = await loadProject(path.resolve('.'));
    const files = await loadProjectFiles(project);
    const { manifest } = compileProject(
      { ...files, models: [{ path: 'models/pii_probe.sql', text: PROBE }], schemaFiles: [], singularTests: [] },
      { target: { name: type === 'postgres' ? 'dev' : 'prod', type, schema: 'analytics' }, env: { PGSHIFT_PII_KEY: PII_KEY } },
    );
    const node = Object.values(manifest.nodes).find((candidate) => candidate.name === 'pii_probe')!;
    if (node.resource_type === 'seed' || node.resource_type === 'unit_test') throw new Error('pii_probe is not a model');
    return node.compiled_code;
  }

  beforeAll(async () => {
    database = await createTestDatabase('shop_pii_macros');
    db = testPool({ connectionString: database.url, max: 1 });
    await db.query('create table pii_inputs (input_id int, email text, phone text, birth_date date)');
    for (const row of INPUTS) await db.query('insert into pii_inputs values ($1, $2, $3, $4)', row);
    await db.query(REDSHIFT_SHIMS_SQL);
  });

  afterAll(async () => {
    await db?.end();
    await database?.drop();
  });

  it('compiles to each warehouse’s functions and gives identical rows', async () => {
    const postgresSql = await compileProbe('postgres');
    const redshiftSql = await compileProbe('redshift');
    expect(postgresSql).toContain("encode(sha256(convert_to(cast('shop-models-test-key' || '|' ||");
    expect(postgresSql).toContain(", 'g')");
    expect(redshiftSql).toContain("sha2(cast('shop-models-test-key' || '|' ||");
    expect(redshiftSql).not.toContain(", 'g')");

    const postgresRows = (await db.query(postgresSql)).rows;
    const client = await db.connect();
    let redshiftRows: unknown[];
    try {
      await client.query('set search_path = redshift_shim, pg_catalog, public');
      redshiftRows = (await client.query(redshiftSql)).rows;
    } finally {
      await client.query('reset search_path');
      client.release();
    }
    expect(redshiftRows).toEqual(postgresRows);

    const sha = (text: string) => createHash('sha256').update(`${PII_KEY}|${text}`, 'utf8').digest('hex');
    expect(postgresRows).toEqual([
      {
        input_id: 1,
        email: 'jane.doe@example.com',
        phone: '+491512345678',
        email_hash: sha('jane.doe@example.com'),
        email_masked: 'j***@example.com',
        phone_last_four: '5678',
        birth_year: 1990,
        age_years: 36,
        age_band: '35-44',
        phone_redacted: '[redacted]',
      },
      {
        input_id: 2,
        email: 'j.doe@web.de',
        phone: '+491512345678',
        email_hash: sha('j.doe@web.de'),
        email_masked: 'j***@web.de',
        phone_last_four: '5678',
        birth_year: 1990,
        age_years: 35,
        age_band: '35-44',
        phone_redacted: '[redacted]',
      },
      {
        input_id: 3,
        email: 'max.mueller1975@gmx.de',
        phone: '+4930123456',
        email_hash: sha('max.mueller1975@gmx.de'),
        email_masked: 'm***@gmx.de',
        phone_last_four: '3456',
        birth_year: 2008,
        age_years: 18,
        age_band: '18-24',
        phone_redacted: '[redacted]',
      },
      {
        input_id: 4,
        email: null,
        phone: null,
        email_hash: null,
        email_masked: null,
        phone_last_four: null,
        birth_year: null,
        age_years: null,
        age_band: 'unknown',
        phone_redacted: null,
      },
      {
        input_id: 5,
        email: null,
        phone: null,
        email_hash: null,
        email_masked: null,
        phone_last_four: null,
        birth_year: 1950,
        age_years: 76,
        age_band: '65+',
        phone_redacted: '[redacted]',
      },
      {
        input_id: 6,
        email: 'no-at-sign',
        phone: '+49891234567',
        email_hash: sha('no-at-sign'),
        email_masked: '***',
        phone_last_four: '4567',
        birth_year: 2000,
        age_years: 26,
        age_band: '25-34',
        phone_redacted: '[redacted]',
      },
      {
        input_id: 7,
        email: '@example.com',
        phone: '12',
        email_hash: sha('@example.com'),
        email_masked: '***',
        phone_last_four: null,
        birth_year: 1966,
        age_years: 60,
        age_band: '55-64',
        phone_redacted: '[redacted]',
      },
      {
        input_id: 8,
        email: "o'brien+tag@example.co.uk",
        phone: '+491512345678',
        email_hash: sha("o'brien+tag@example.co.uk"),
        email_masked: 'o***@example.co.uk',
        phone_last_four: '5678',
        birth_year: 1961,
        age_years: 64,
        age_band: '55-64',
        phone_redacted: '[redacted]',
      },
    ]);
  });
});
