// `pgshift report` end to end against a real PostgreSQL warehouse: the report tables are filled
// with deterministic synthetic data, and every number on the page is checked against a hand
// computation from that data.

import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GetObjectCommand, HeadObjectCommand, ListObjectsV2Command } from '@aws-sdk/client-s3';
import { RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getPostgresConn } from '../../src/connections.js';
import { quoteIdent } from '../../src/sql/quote-ident.js';
import { ReportError, reportTablesNamed, writeReport, type ReportResult } from '../../src/report/index.js';
import { PostgresWarehouse } from '../../src/warehouse/postgres-warehouse.js';
import { RedshiftDataWarehouse } from '../../src/warehouse/redshift-data-warehouse.js';
import type { Warehouse } from '../../src/warehouse/warehouse.js';
import { startRedshiftEmulator, type RedshiftEmulator } from '../support/redshift-emulator/index.js';
import { parseCsv, parseCsvRecords } from '../support/report-csv.js';
import {
  addDays,
  cents,
  HOSTILE_PRODUCT,
  loadReportFixture,
  QUOTED_PRODUCT,
  reportFixture,
  type FixtureRow,
  type ReportFixture,
} from '../support/report-fixture.js';
import { createTestBucket, createTestDatabase, testS3Endpoint, type TestBucket, type TestDatabase } from '../support/test-env.js';

const DATE = '2026-11-23';
const SCHEMA = 'analytics_reports';
const GENERATED_AT = new Date('2026-11-24T06:00:00Z');
const TABLES = ['cohort_retention', 'customer_lifetime_value', 'daily_sales', 'new_vs_returning_customers', 'product_performance'] as const;

/** `12,345.67` from cents, written out by hand rather than with the report's formatter. */
function moneyText(amountInCents: number): string {
  const rounded = Math.round(amountInCents);
  const whole = String(Math.floor(rounded / 100)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${whole}.${String(rounded % 100).padStart(2, '0')}`;
}

function countText(value: number): string {
  return String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** `+12.3%` / `-4.0%`: the relative change from base to value. */
function changeText(value: number, base: number): string {
  const percent = ((value - base) / base) * 100;
  return `${percent >= 0 ? '+' : '-'}${Math.abs(percent).toFixed(1)}%`;
}

/** The KPI card of one figure, as HTML. */
function kpiCard(page: string, id: string): string {
  const match = new RegExp(`<article class="kpi" data-kpi="${id}"[\\s\\S]*?</article>`).exec(page);
  if (!match) throw new Error(`no KPI card ${id}`);
  return match[0];
}

function attribute(fragment: string, name: string): string {
  return new RegExp(`${name}="([^"]*)"`).exec(fragment)![1]!;
}

function comparisonLine(card: string, name: 'previous-day' | 'seven-day-average'): string {
  return new RegExp(`<li[^>]*data-compare="${name}"[\\s\\S]*?</li>`).exec(card)![0];
}

describe('pgshift report against PostgreSQL', () => {
  let database: TestDatabase;
  let warehouse: Warehouse;
  let outDir: string;
  let fixture: ReportFixture;
  let result: ReportResult;
  let page: string;

  const row = (table: 'daily_sales' | 'new_vs_returning_customers', day: string): FixtureRow => fixture[table].find((r) => r.order_date === day)!;
  const sevenDaysBefore = Array.from({ length: 7 }, (_, index) => addDays(DATE, -(index + 1)));

  beforeAll(async () => {
    database = await createTestDatabase('report');
    fixture = reportFixture(DATE);
    await loadReportFixture(database.url, SCHEMA, fixture);
    warehouse = new PostgresWarehouse(getPostgresConn({ connectionString: database.url, max: 5 }), () => {
      throw new Error('the report reads no staging files');
    });
    outDir = await mkdtemp(path.join(tmpdir(), 'pgshift-report-'));
    // Small pages, so the 500-customer table is exported in several queries.
    result = await writeReport({ warehouse, schema: SCHEMA, date: DATE, outDir, generatedAt: GENERATED_AT, csvPageRows: 64 });
    page = await readFile(path.join(outDir, 'index.html'), 'utf8');
  });

  afterAll(async () => {
    await warehouse?.close();
    await database?.drop();
    if (outDir) await rm(outDir, { recursive: true, force: true });
  });

  it('writes index.html and one CSV per report table into the folder', async () => {
    expect((await readdir(outDir)).sort()).toEqual([...TABLES.map((table) => `${table}.csv`), 'index.html'].sort());
    expect(result.indexFile).toBe(path.join(outDir, 'index.html'));
    expect(result.uploaded).toEqual([]);
  });

  it('exports each table as RFC 4180 CSV that parses back to its rows, up to the report day', async () => {
    const upToDate: Record<(typeof TABLES)[number], (row: FixtureRow) => boolean> = {
      daily_sales: (r) => r.order_date! <= DATE,
      new_vs_returning_customers: (r) => r.order_date! <= DATE,
      customer_lifetime_value: (r) => r.first_order_date! <= DATE,
      cohort_retention: (r) => r.cohort_month! <= DATE,
      product_performance: () => true,
    };
    for (const table of TABLES) {
      const text = await readFile(path.join(outDir, `${table}.csv`), 'utf8');
      const expected = fixture[table].filter(upToDate[table]);
      const parsed = parseCsvRecords(text);
      expect(parseCsv(text)[0], `${table} header`).toEqual(Object.keys(fixture[table][0]!));
      expect(sortRows(parsed), table).toEqual(sortRows(expected));
      expect(result.csvFiles.find((file) => file.table === table)?.rows).toBe(expected.length);
    }
    // The day a later run added and the customers who first ordered after the day stay out.
    expect(fixture.daily_sales.some((r) => r.order_date! > DATE)).toBe(true);
    expect(fixture.customer_lifetime_value.length - result.csvFiles.find((f) => f.table === 'customer_lifetime_value')!.rows).toBe(2);
  });

  it('quotes commas, quotes and line breaks, and tells NULL from the empty string', async () => {
    const text = await readFile(path.join(outDir, 'product_performance.csv'), 'utf8');
    expect(text).toContain('"Mug ""Classic"", 12 oz\nwith lid"');
    const products = parseCsvRecords(text);
    expect(products.find((p) => p.product_name === QUOTED_PRODUCT)).toBeDefined();
    expect(products.find((p) => p.revenue_rank === '29')!.category).toBeNull();
    expect(products.find((p) => p.revenue_rank === '30')!.category).toBe('');
    expect(text.split('\r\n')[0]).toBe('product_id,product_name,category,orders,units,revenue,revenue_rank');
  });

  it("shows the day's revenue with its change against the day before and the 7-day average", () => {
    const today = cents(row('daily_sales', DATE).revenue);
    const yesterday = cents(row('daily_sales', addDays(DATE, -1)).revenue);
    const average = sevenDaysBefore.reduce((sum, day) => sum + cents(row('daily_sales', day).revenue), 0) / 7;
    const card = kpiCard(page, 'revenue');

    expect(card).toContain(`<p class="kpi-value" title="Revenue on 23 Nov">${moneyText(today)}</p>`);
    expect(Number(attribute(card, 'data-value'))).toBeCloseTo(today / 100, 6);
    expect(Number(attribute(card, 'data-previous-day'))).toBeCloseTo(yesterday / 100, 6);
    expect(Number(attribute(card, 'data-seven-day-average'))).toBeCloseTo(average / 100, 6);

    const versusYesterday = comparisonLine(card, 'previous-day');
    expect(versusYesterday).toContain(`<strong class="change">${changeText(today, yesterday)}</strong> vs 22 Nov`);
    expect(versusYesterday).toContain(`(${moneyText(yesterday)})`);
    expect(versusYesterday).toContain(today >= yesterday ? '▲' : '▼');
    const versusAverage = comparisonLine(card, 'seven-day-average');
    expect(versusAverage).toContain(`<strong class="change">${changeText(today, average)}</strong> vs 7-day avg`);
    expect(versusAverage).toContain(`(${moneyText(average)})`);
  });

  it('shows orders, units, average order value and new customers the same way', () => {
    const sum = (table: 'daily_sales' | 'new_vs_returning_customers', column: string) =>
      sevenDaysBefore.reduce((total, day) => total + Number(row(table, day)[column]), 0);
    for (const [id, table, column] of [
      ['orders', 'daily_sales', 'orders'],
      ['units', 'daily_sales', 'units'],
      ['new_customers', 'new_vs_returning_customers', 'new_customers'],
    ] as const) {
      const today = Number(row(table, DATE)[column]);
      const yesterday = Number(row(table, addDays(DATE, -1))[column]);
      const card = kpiCard(page, id);
      expect(card, id).toContain(`>${countText(today)}</p>`);
      expect(comparisonLine(card, 'previous-day'), id).toContain(changeText(today, yesterday));
      expect(comparisonLine(card, 'seven-day-average'), id).toContain(changeText(today, sum(table, column) / 7));
      expect(comparisonLine(card, 'seven-day-average'), id).toContain(`(${(sum(table, column) / 7).toFixed(1)})`);
    }
    // The 7-day average order value weighs each day by its orders: revenue over orders.
    const aov = cents(row('daily_sales', DATE).average_order_value);
    const weighted = sevenDaysBefore.reduce((total, day) => total + cents(row('daily_sales', day).revenue), 0) / sum('daily_sales', 'orders');
    const card = kpiCard(page, 'average_order_value');
    expect(card).toContain(`>${moneyText(aov)}</p>`);
    expect(comparisonLine(card, 'previous-day')).toContain(changeText(aov, cents(row('daily_sales', addDays(DATE, -1)).average_order_value)));
    expect(comparisonLine(card, 'seven-day-average')).toContain(`(${moneyText(weighted)})`);
  });

  it('escapes text from the database: a product named <script> is shown as text, never as markup', () => {
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(page).not.toContain(HOSTILE_PRODUCT);
    expect(page).not.toMatch(/<script/i);
  });

  it('is self-contained: styles inline, no URL to fetch, and a policy that forbids scripts and requests', () => {
    expect(page).toMatch(/<style>[\s\S]+<\/style>/);
    expect(page).not.toMatch(/(src|href)="(https?:)?\/\//);
    expect(page).not.toMatch(/url\((?!#)/);
    expect(page).toContain(`<meta http-equiv="Content-Security-Policy" content="default-src &#39;none&#39;;`);
  });

  it('draws the four charts with their data and accessible titles', () => {
    const chart = (kind: string) => new RegExp(`<svg class="chart" data-chart="${kind}"[\\s\\S]*?</svg>`).exec(page)?.[0] ?? '';
    const trend = chart('revenue-trend');
    const revenuePath = /class="series-revenue" d="([^"]+)"/.exec(trend)![1]!;
    expect(revenuePath.match(/[ML]/g)).toHaveLength(30);
    expect(trend).toContain('<title id="chart-revenue-trend-title">Revenue, last 30 days</title>');
    expect(trend).toMatch(/class="series-average" d="M/);
    expect(chart('top-products').match(/<rect class="bar"/g)).toHaveLength(10);
    expect(chart('ltv-histogram').match(/<rect class="bar/g)!.length).toBeGreaterThanOrEqual(5);
    // Twelve cohorts up to November: 12 + 11 + … + 1 cells.
    expect(chart('cohort-retention').match(/<g class="cell[ "]/g)).toHaveLength(78);
    for (const kind of ['revenue-trend', 'top-products', 'ltv-histogram', 'cohort-retention']) {
      expect(chart(kind)).toMatch(new RegExp(`role="img" aria-labelledby="chart-${kind}-title chart-${kind}-desc"`));
    }
  });

  it('counts every customer up to the day in the lifetime value histogram', () => {
    const histogram = /<svg class="chart" data-chart="ltv-histogram"[\s\S]*?<\/svg>/.exec(page)![0];
    const counted = [...histogram.matchAll(/: ([\d,]+) customers<\/title>/g)].reduce((sum, match) => sum + Number(match[1]!.replaceAll(',', '')), 0);
    expect(counted).toBe(500);
  });

  describe('uploading', () => {
    let bucket: TestBucket;
    beforeAll(async () => {
      bucket = await createTestBucket('report');
    });
    afterAll(async () => bucket?.drop());

    it('copies the folder to <prefix>/reports/<date>/ with content types', async () => {
      const uploadDir = await mkdtemp(path.join(tmpdir(), 'pgshift-report-upload-'));
      try {
        const uploaded = await writeReport({
          warehouse,
          schema: SCHEMA,
          date: DATE,
          outDir: uploadDir,
          generatedAt: GENERATED_AT,
          s3: { client: bucket.client, bucket: bucket.bucket, prefix: 'pgshift/' },
        });
        const listed = await bucket.client.send(new ListObjectsV2Command({ Bucket: bucket.bucket }));
        const keys = (listed.Contents ?? []).map((object) => object.Key).sort();
        expect(keys).toEqual([...TABLES.map((table) => `pgshift/reports/${DATE}/${table}.csv`), `pgshift/reports/${DATE}/index.html`].sort());
        expect(uploaded.uploaded).toContain(`s3://${bucket.bucket}/pgshift/reports/${DATE}/index.html`);
        const head = (key: string) => bucket.client.send(new HeadObjectCommand({ Bucket: bucket.bucket, Key: key }));
        expect((await head(`pgshift/reports/${DATE}/index.html`)).ContentType).toBe('text/html; charset=utf-8');
        expect((await head(`pgshift/reports/${DATE}/daily_sales.csv`)).ContentType).toBe('text/csv; charset=utf-8');
        const object = await bucket.client.send(new GetObjectCommand({ Bucket: bucket.bucket, Key: `pgshift/reports/${DATE}/index.html` }));
        expect(await object.Body!.transformToString()).toBe(page);
      } finally {
        await rm(uploadDir, { recursive: true, force: true });
      }
    });
  });

  describe('when the report tables are not ready', () => {
    const attempt = (schema: string, date = DATE) => writeReport({ warehouse, schema, date, outDir: path.join(outDir, 'not-written') });

    it('names a missing table and the command that builds it', async () => {
      await loadReportFixture(database.url, 'partial_reports', fixture, ['cohort_retention']);
      const failure = attempt('partial_reports');
      await expect(failure).rejects.toBeInstanceOf(ReportError);
      await expect(failure).rejects.toThrow(
        'report for 2026-11-23: table partial_reports.cohort_retention does not exist; run `pgshift run --date 2026-11-23` first to build the report models',
      );
    });

    it('names a column the report needs that the table lacks', async () => {
      await loadReportFixture(database.url, 'old_reports', fixture);
      await runSql(database.url, 'alter table old_reports.daily_sales drop column average_order_value');
      await expect(attempt('old_reports')).rejects.toThrow(
        /old_reports\.daily_sales has no column average_order_value \(the report reads order_date, orders, units, revenue, average_order_value\)/,
      );
    });

    it('names the table and the day when the day has no data yet', async () => {
      await expect(attempt(SCHEMA, '2026-11-26')).rejects.toThrow(
        'report for 2026-11-26: analytics_reports.daily_sales has no row for 2026-11-26; run `pgshift run --date 2026-11-26` first',
      );
    });

    it('refuses a day that is not on the calendar before touching the warehouse', async () => {
      await expect(attempt(SCHEMA, '2026-02-30')).rejects.toThrow('report date "2026-02-30": expected a calendar day as YYYY-MM-DD');
    });
  });

  it('reads the models and columns a project names for its panels, whatever they are called', async () => {
    // The shop's tables under other names: what `report.models` in pgshift.yml points the report at.
    await runSql(
      database.url,
      `create schema renamed_reports;
       create view renamed_reports.sales_by_day as select order_date as day, orders, units, revenue as gross_revenue, average_order_value from ${SCHEMA}.daily_sales;
       create view renamed_reports.products as select * from ${SCHEMA}.product_performance;
       create view renamed_reports.ltv as select customer_id, first_order_date as first_day, last_order_date, orders, revenue, lifetime_value as ltv_eur from ${SCHEMA}.customer_lifetime_value;
       create view renamed_reports.customers_by_day as select * from ${SCHEMA}.new_vs_returning_customers;
       create view renamed_reports.cohorts as select cohort_month as cohort, months_since_first, customers, cohort_size, retention_rate from ${SCHEMA}.cohort_retention;`,
    );
    const tables = reportTablesNamed({
      daily_sales: { name: 'sales_by_day', columns: { order_date: 'day', revenue: 'gross_revenue' } },
      product_performance: { name: 'products' },
      customer_lifetime_value: { name: 'ltv', columns: { first_order_date: 'first_day', lifetime_value: 'ltv_eur' } },
      new_vs_returning_customers: { name: 'customers_by_day' },
      cohort_retention: { name: 'cohorts', columns: { cohort_month: 'cohort' } },
    });
    const renamedDir = await mkdtemp(path.join(tmpdir(), 'pgshift-report-renamed-'));
    try {
      const renamed = await writeReport({ warehouse, schema: 'renamed_reports', tables, date: DATE, outDir: renamedDir, generatedAt: GENERATED_AT });
      const html = await readFile(path.join(renamedDir, 'index.html'), 'utf8');
      for (const kpi of ['revenue', 'orders', 'units', 'average_order_value', 'new_customers']) expect(kpiCard(html, kpi)).toBe(kpiCard(page, kpi));
      // Charts and tables too: the page differs only in the schema and file names it shows.
      const renames: Record<string, string> = {
        sales_by_day: 'daily_sales',
        products: 'product_performance',
        ltv: 'customer_lifetime_value',
        customers_by_day: 'new_vs_returning_customers',
        cohorts: 'cohort_retention',
      };
      const normalised = html
        .replace(/renamed_reports\.(sales_by_day|products|ltv|customers_by_day|cohorts)\b/g, (_, name: string) => `${SCHEMA}.${renames[name]}`)
        .replace(/\b(sales_by_day|products|ltv|customers_by_day|cohorts)\.csv/g, (_, name: string) => `${renames[name]}.csv`)
        .replaceAll('renamed_reports', SCHEMA);
      expect(normalised).toBe(page);
      expect(renamed.csvFiles.map((file) => file.file).sort()).toEqual(['cohorts.csv', 'customers_by_day.csv', 'ltv.csv', 'products.csv', 'sales_by_day.csv']);
      // The CSV keeps the report's column names and the same rows.
      expect(await readFile(path.join(renamedDir, 'sales_by_day.csv'), 'utf8')).toBe(await readFile(path.join(outDir, 'daily_sales.csv'), 'utf8'));
      expect(await readFile(path.join(renamedDir, 'ltv.csv'), 'utf8')).toBe(await readFile(path.join(outDir, 'customer_lifetime_value.csv'), 'utf8'));
    } finally {
      await rm(renamedDir, { recursive: true, force: true });
    }
  });

  it('reads a reports schema whose name needs quoting', async () => {
    const schema = 'Reports "Q4"; drop schema public; --';
    await loadReportFixture(database.url, schema, fixture);
    const quotedDir = await mkdtemp(path.join(tmpdir(), 'pgshift-report-quoted-'));
    try {
      await writeReport({ warehouse, schema, date: DATE, outDir: quotedDir, generatedAt: GENERATED_AT });
      const html = await readFile(path.join(quotedDir, 'index.html'), 'utf8');
      expect(html).toContain('Reports &quot;Q4&quot;; drop schema public; --');
      expect(kpiCard(html, 'revenue')).toBe(kpiCard(page, 'revenue'));
    } finally {
      await rm(quotedDir, { recursive: true, force: true });
    }
  });

  describe('through the Redshift Data API adapter (emulated)', () => {
    let emulator: RedshiftEmulator;
    let redshift: RedshiftDataWarehouse;

    beforeAll(async () => {
      emulator = await startRedshiftEmulator({ postgresUrl: database.url, s3Endpoint: testS3Endpoint(), pageSize: 100 });
      // A report reader is granted the report schema, as governance grants it to a reading role.
      if (emulator.identity) {
        const admin = new pg.Client({ connectionString: database.url });
        await admin.connect();
        await admin
          .query(
            `grant usage on schema ${quoteIdent(SCHEMA)} to ${quoteIdent(emulator.identity)}; grant select on all tables in schema ${quoteIdent(SCHEMA)} to ${quoteIdent(emulator.identity)}`,
          )
          .finally(() => admin.end());
      }
      const client = new RedshiftDataClient({
        endpoint: emulator.endpoint,
        region: 'us-east-1',
        credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      });
      redshift = new RedshiftDataWarehouse(
        {
          name: 'emulated',
          type: 'redshift',
          schema: 'analytics',
          database: 'dev',
          clusterIdentifier: 'emulated',
          dbUser: 'reporter',
          region: 'us-east-1',
          endpoint: emulator.endpoint,
          statementTimeoutMs: 30_000,
        },
        client,
        { pollInitialMs: 5 },
      );
    });
    afterAll(async () => {
      await redshift?.close();
      await emulator?.close();
    });

    it('writes the same files byte for byte, so the queries are portable', async () => {
      const redshiftDir = await mkdtemp(path.join(tmpdir(), 'pgshift-report-redshift-'));
      try {
        await writeReport({ warehouse: redshift, schema: SCHEMA, date: DATE, outDir: redshiftDir, generatedAt: GENERATED_AT, csvPageRows: 64 });
        for (const file of ['index.html', ...TABLES.map((table) => `${table}.csv`)]) {
          expect(await readFile(path.join(redshiftDir, file), 'utf8'), file).toBe(await readFile(path.join(outDir, file), 'utf8'));
        }
      } finally {
        await rm(redshiftDir, { recursive: true, force: true });
      }
    });
  });
});

function sortRows(rows: readonly FixtureRow[]): string[] {
  return rows.map((row) => JSON.stringify(row)).sort();
}

async function runSql(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
