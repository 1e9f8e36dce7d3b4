// dbt's --empty (https://docs.getdbt.com/docs/build/empty-flag) through the real CLI, on
// PostgreSQL and on Redshift (Data API emulator): `run --empty` and `build --empty` build every
// model with its columns and no rows, reading each ref() and source() as
// `(select * from … where false limit 0)`; sources are not extracted or loaded (the source
// database is not even reachable here), `this` still reads the model's own table, and the
// next run without --empty fills the same models.

import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_WAREHOUSES, projectTargets } from '../support/cli-warehouses.js';
import { runCli } from '../support/run-cli.js';
import { createTestBucket, createTestDatabase, type TestBucket, type TestDatabase } from '../support/test-env.js';
import { testPool } from '../support/test-pool.js';

const CLI_TIMEOUT = 180_000;

const FILES: Record<string, string> = {
  'seeds/countries.csv': 'country_code,country_name\nDE,Germany\nFR,France\n',
  'models/stg_orders.sql': `select id as order_id, country_code, amount from {{ source('shop', 'orders') }}`,
  'models/orders_by_country.sql': `select c.country_name, count(*) as orders, sum(o.amount) as revenue
from {{ ref('stg_orders') }} as o
join {{ ref('countries') }} as c on c.country_code = o.country_code
group by c.country_name`,
  'models/schema.yml': `models:
  - name: stg_orders
    columns:
      - name: order_id
        data_tests: [unique, not_null]
`,
};

describe.each(Object.entries(CLI_WAREHOUSES))('--empty on %s', (_name, kind) => {
  let db: TestDatabase;
  let bucket: TestBucket;
  let admin: pg.Pool;
  let dir: string;
  let env: Record<string, string>;
  let close: () => Promise<void>;

  const cli = (...args: string[]) => runCli(['--project-dir', dir, '--target', kind.target, ...args], env);
  const count = async (relation: string) => (await admin.query<{ n: number }>(`select count(*)::int as n from ${relation}`)).rows[0]!.n;
  const columns = async (table: string) =>
    (
      await admin.query<{ column_name: string }>(
        `select column_name from information_schema.columns where table_schema = 'analytics' and table_name = $1 order by ordinal_position`,
        [table],
      )
    ).rows.map((row) => row.column_name);

  beforeAll(async () => {
    db = await createTestDatabase('empty_flag');
    bucket = await createTestBucket('empty-flag');
    admin = testPool({ connectionString: db.url, max: 1 });
    dir = await mkdtemp(path.join(tmpdir(), 'pgshift-empty-flag-'));
    const project = `name: empties
staging: { bucket: ${bucket.bucket} }
${projectTargets('empties')}sources:
  shop:
    tables:
      orders: { primary_key: id, cursor: updated_at }
models: { +materialized: table }
`;
    for (const [file, text] of Object.entries({ ...FILES, 'pgshift.yml': project })) {
      await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
      await writeFile(path.join(dir, file), text);
    }
    // What an earlier load left in raw: the models read it unless --empty says otherwise.
    await admin.query(`create schema raw;
      create table raw.orders (id int, country_code varchar(2), amount numeric(10,2), updated_at timestamp);
      insert into raw.orders values (1, 'DE', 10, '2026-11-23'), (2, 'FR', 5, '2026-11-23'), (3, 'DE', 2, '2026-11-23');
      grant usage on schema raw to public; grant select on raw.orders to public`);
    const started = await kind.start(db);
    close = started.close;
    // Nothing listens on port 1: an extract would fail.
    env = { ...started.env, PGSHIFT_SOURCE_URL: 'postgres://nobody@127.0.0.1:1/shop' };
  });

  afterAll(async () => {
    await close?.();
    await admin?.end();
    await db?.drop();
    await bucket?.drop?.();
    await rm(dir, { recursive: true, force: true });
  });

  it(
    'run --empty builds every model with its columns and no rows, and extracts nothing',
    async () => {
      const run = await cli('run', '--empty', '--date', '2026-11-23');
      expect(run.code, run.stdout + run.stderr).toBe(0);
      expect(run.stderr + run.stdout).toMatch(/--empty: 1 source\(s\) and snapshot\(s\) left out/);
      expect(await columns('stg_orders')).toEqual(['order_id', 'country_code', 'amount']);
      expect(await columns('orders_by_country')).toEqual(['country_name', 'orders', 'revenue']);
      expect(await count('analytics.stg_orders')).toBe(0);
      expect(await count('analytics.orders_by_country')).toBe(0);
      // Seeds are loaded in full, as dbt 1.8's build --empty does.
      expect(await count('analytics.countries')).toBe(2);
    },
    CLI_TIMEOUT,
  );

  it(
    'build without --empty fills the same models from what raw holds',
    async () => {
      const build = await cli('build', '--date', '2026-11-23');
      expect(build.code, build.stdout + build.stderr).toBe(0);
      expect(await count('analytics.stg_orders')).toBe(3);
      const empty = await cli('build', '--empty', '--select', 'orders_by_country', '--date', '2026-11-23');
      expect(empty.code, empty.stdout + empty.stderr).toBe(0);
      expect(await count('analytics.orders_by_country')).toBe(0);
      expect(await count('analytics.stg_orders')).toBe(3);
    },
    CLI_TIMEOUT,
  );
});
