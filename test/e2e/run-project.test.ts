import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRunResults, type RunResultsFile } from '../../src/run/run-results.js';
import { copyProject, editFile } from '../support/project-copy.js';
import { startRedshiftEmulator, type RedshiftEmulator } from '../support/redshift-emulator/index.js';
import { runCli } from '../support/run-cli.js';
import { createTestBucket, createTestDatabase, testS3Endpoint, type TestBucket, type TestDatabase } from '../support/test-env.js';
import { testPool } from '../support/test-pool.js';

interface Target {
  name: 'dev' | 'emulated';
  env(warehouse: TestDatabase): Promise<Record<string, string>>;
  close(): Promise<void>;
}

const postgresTarget: Target = {
  name: 'dev',
  env: async (warehouse) => ({ PGSHIFT_WAREHOUSE_URL: warehouse.url }),
  close: async () => {},
};

function emulatedTarget(): Target {
  let emulator: RedshiftEmulator | undefined;
  return {
    name: 'emulated',
    env: async (warehouse) => {
      emulator = await startRedshiftEmulator({ postgresUrl: warehouse.url, s3Endpoint: testS3Endpoint() });
      return {
        PGSHIFT_REDSHIFT_ENDPOINT: emulator.endpoint,
        PGSHIFT_REDSHIFT_IAM_ROLE: 'arn:aws:iam::123456789012:role/pgshift-loader',
        // The local S3 server's own key pair; the Data API emulator accepts any.
        AWS_ACCESS_KEY_ID: 'S3RVER',
        AWS_SECRET_ACCESS_KEY: 'S3RVER',
        AWS_REGION: 'us-east-1',
      };
    },
    close: async () => emulator?.close(),
  };
}

describe.each([postgresTarget, emulatedTarget()])('pgshift run / retry / build on target $name', (target) => {
  let source: TestDatabase;
  let warehouse: TestDatabase;
  let bucket: TestBucket;
  let projectDir: string;
  let env: Record<string, string>;
  let db: pg.Pool;

  const cli = (...args: string[]) => runCli(['--project-dir', projectDir, '--target', target.name, ...args], env);
  const results = async () => (await readRunResults(path.join(projectDir, 'target')))!;
  const statusOf = (file: RunResultsFile) => Object.fromEntries(file.results.map((result) => [result.unique_id, result.status]));

  beforeAll(async () => {
    source = await createTestDatabase(`run_src_${target.name}`);
    warehouse = await createTestDatabase(`run_wh_${target.name}`);
    bucket = await createTestBucket(`run-${target.name}`);
    projectDir = await copyProject('run-project', { 'bucket: placeholder': `bucket: ${bucket.bucket}` });
    const client = new pg.Client({ connectionString: source.url });
    await client.connect();
    await client.query(`create table orders (id int primary key, status text, amount numeric(10,2), updated_at timestamptz not null);
      create index on orders (updated_at);
      insert into orders select g, (array['new', 'Paid', ' shipped'])[1 + g % 3], g, '2026-11-23 00:00:00+00'::timestamptz + g * interval '1 minute' from generate_series(1, 100) g;`);
    await client.end();
    env = { PGSHIFT_SOURCE_URL: source.url, PGSHIFT_S3_ENDPOINT: testS3Endpoint(), ...(await target.env(warehouse)) };
    db = testPool({ connectionString: warehouse.url, max: 2 });
  });

  afterAll(async () => {
    await db?.end();
    await target.close();
    await source?.drop();
    await warehouse?.drop();
    await bucket?.drop();
    await rm(projectDir, { recursive: true, force: true });
  });

  it('builds everything in dependency order, skipping what depends on a failing model', async () => {
    const run = await cli('run', '--date', '2026-11-23');
    expect(run.code).toBe(1);
    expect(run.stderr, run.stderr).toMatch(/Done in .* PASS=8 WARN=0 ERROR=1 SKIP=1 TOTAL=10/);
    const status = statusOf(await results());
    expect(status).toMatchObject({
      'source.shop.orders': 'success',
      'seed.run_fixture.status_labels': 'success',
      'model.run_fixture.stg_orders': 'success',
      'model.run_fixture.fct_orders': 'success',
      'model.run_fixture.order_totals': 'success',
      'model.run_fixture.broken_model': 'error',
      'model.run_fixture.after_broken': 'skipped',
    });
    const totals = await db.query('select status, orders::int, revenue::numeric from analytics_marts.order_totals order by status');
    expect(totals.rows).toEqual([
      { status: 'new', orders: 33, revenue: '1683.00' },
      { status: 'paid', orders: 34, revenue: '1717.00' },
      { status: 'shipped', orders: 33, revenue: '1650.00' },
    ]);
  });

  it('retries only what errored or was skipped, with the same interval, once the cause is fixed', async () => {
    await editFile(projectDir, 'models/broken/broken_model.sql', (text) => text.replace("'no_such_column'", "'amount'"));
    const retry = await cli('retry');
    expect(retry.code).toBe(0);
    const file = await results();
    // The retried nodes ran again; what had succeeded is carried, so the file holds the whole run.
    expect(statusOf(file)).toMatchObject({
      'model.run_fixture.broken_model': 'success',
      'model.run_fixture.after_broken': 'success',
      'source.shop.orders': 'success',
    });
    expect(file.results.filter((result) => !['success', 'pass'].includes(result.status))).toEqual([]);
    expect(retry.stderr).toMatch(/TOTAL=2\b/);
    expect(file.metadata.invocation.interval).toEqual({ start: '2026-11-23T00:00:00.000Z', end: '2026-11-24T00:00:00.000Z' });
    const { rows } = await db.query('select n::int from analytics_marts.after_broken');
    expect(rows[0].n).toBe(100);
  });

  it('merges only new and changed rows on the next day, then rebuilds with --full-refresh', async () => {
    const client = new pg.Client({ connectionString: source.url });
    await client.connect();
    await client.query(`update orders set status = 'shipped', updated_at = '2026-11-24 08:00:00+00' where id <= 5;
      insert into orders select g, 'new', g, '2026-11-24 09:00:00+00' from generate_series(101, 103) g;`);
    await client.end();
    const run = await cli('run', '--date', '2026-11-24', '--select', '+fct_orders');
    expect(run.code).toBe(0);
    const fct = (await results()).results.find((result) => result.unique_id === 'model.run_fixture.fct_orders')!;
    expect(fct.status).toBe('success');
    // The 5 changed and 3 new orders, plus the one sharing the previous high-water mark.
    if (target.name === 'dev') expect(fct.rows_affected).toBe(9);
    const counts = await db.query(`select count(*)::int as n, count(*) filter (where status = 'shipped')::int as shipped from analytics_marts.fct_orders`);
    expect(counts.rows[0]).toEqual({ n: 103, shipped: 36 });

    const rebuilt = await cli('build', '--select', 'fct_orders', '--full-refresh', '--date', '2026-11-24');
    expect(rebuilt.code).toBe(0);
    const after = await db.query('select count(*)::int as n from analytics_marts.fct_orders');
    expect(after.rows[0].n).toBe(103);
  });

  it('reports source freshness from the newest loaded row', async () => {
    const fresh = await cli('freshness');
    expect(fresh.code).toBe(0);
    expect(fresh.stderr).toMatch(/PASS source\.shop\.orders: newest _pgshift_extracted_at is 0\.0 h old/);
    // target/sources.json is dbt's sources v3, under the manifest's id of the source.
    const sources = JSON.parse(await readFile(path.join(projectDir, 'target', 'sources.json'), 'utf8'));
    expect(sources.metadata.dbt_schema_version).toBe('https://schemas.getdbt.com/dbt/sources/v3.json');
    expect(sources.results).toEqual([
      expect.objectContaining({ unique_id: 'source.run_fixture.shop.orders', status: 'pass', max_loaded_at_time_ago_in_s: expect.any(Number) }),
    ]);
  });

  it('lists what a selector picks, sources included', async () => {
    const listed = await cli('ls', '--select', '+order_totals', '--output', 'json');
    expect(listed.code).toBe(0);
    const ids = listed.stdout
      .trim()
      .split('\n')
      .map((line) => (JSON.parse(line) as { unique_id: string }).unique_id);
    expect(ids).toEqual(
      expect.arrayContaining([
        'source.shop.orders',
        'seed.run_fixture.status_labels',
        'model.run_fixture.stg_orders',
        'model.run_fixture.fct_orders',
        'model.run_fixture.order_totals',
      ]),
    );
    expect(ids).not.toContain('model.run_fixture.broken_model');
  });

  it('runs a project with no report: section to the end, writing no report and no error', async () => {
    const run = await cli('run', '--date', '2026-11-24');
    expect(run.code, run.stderr).toBe(0);
    expect(Object.keys(statusOf(await results())).filter((id) => id.startsWith('operation.'))).toEqual([]);
    await expect(readFile(path.join(projectDir, 'target', 'reports', '2026-11-24', 'index.html'))).rejects.toThrow(/ENOENT/);
  });
});
