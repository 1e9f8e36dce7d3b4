// Source shapes real databases have, extracted and loaded through the production code paths:
// keyless append tables (PostgreSQL warehouse and Redshift through the Data API emulator),
// declarative partitions and inheritance children, views and materialized views.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intervalFromFlags } from '../../src/batch/interval.js';
import { ConfigError } from '../../src/errors.js';
import { extractTableToS3 } from '../../src/extract/extract-table.js';
import { refuseParentWithChild } from '../../src/extract/inheritance-overlap.js';
import { introspectSourceTable } from '../../src/extract/source-introspection.js';
import { captureLogs } from '../support/capture-logs.js';
import { emulatedWarehouse } from '../support/emulated-redshift.js';
import { createLoadFixture, type LoadFixture } from '../support/load-fixture.js';
import { startRedshiftEmulator, type RedshiftEmulator } from '../support/redshift-emulator/index.js';
import { testS3Endpoint } from '../support/test-env.js';

const day1 = intervalFromFlags({ date: '2026-11-23' });
const day2 = intervalFromFlags({ date: '2026-11-24' });

// An audit log: no key, and two rows of day 1 are identical (the same event logged twice).
const EVENTS_SQL = `
  create table events (kind text, payload text, created_at timestamptz not null);
  create index on events (created_at);
  insert into events select 'click', 'p' || g, '2026-11-23 10:00:00+00' from generate_series(1, 50) g;
  insert into events values ('click', 'same', '2026-11-23 11:00:00+00'), ('click', 'same', '2026-11-23 11:00:00+00');
  insert into events values ('click', 'late evening', '2026-11-23 23:30:00+00');
  insert into events select 'view', 'q' || g, '2026-11-24 10:00:00+00' from generate_series(1, 30) g;`;
const EVENTS_YML = '      events: { mode: append, cursor: created_at }\n';

async function rawEvents(fx: LoadFixture): Promise<{ day: string; rows: number }[]> {
  const result = await fx.warehouseDb.query(`select _pgshift_batch_id as day, count(*)::int as rows from raw.events group by 1 order by 1`);
  return result.rows;
}

async function expectAppendIdempotent(fx: LoadFixture): Promise<void> {
  await fx.extractAndLoad('shop.events', day1);
  await fx.extractAndLoad('shop.events', day1);
  // The rerun replaced its own batch; the identical pair stays a pair (nothing deduplicates).
  expect(await rawEvents(fx)).toEqual([{ day: '2026-11-23', rows: 53 }]);
  const same = await fx.warehouseDb.query(`select count(*)::int as n from raw.events where payload = 'same'`);
  expect(same.rows[0].n).toBe(2);
  // Without a lookback, day 2 does not read day 1's last rows again.
  await fx.extractAndLoad('shop.events', day2);
  expect(await rawEvents(fx)).toEqual([
    { day: '2026-11-23', rows: 53 },
    { day: '2026-11-24', rows: 30 },
  ]);
}

describe('a keyless append table on the PostgreSQL warehouse', () => {
  let fx: LoadFixture;
  beforeAll(async () => {
    fx = await createLoadFixture('shapes_pg');
    await fx.source.query(EVENTS_SQL);
    fx.useTables(EVENTS_YML);
  });
  afterAll(async () => fx?.close());

  it('reloads a day idempotently, keeps duplicate rows, and adds the next day', async () => {
    await expectAppendIdempotent(fx);
  });
});

describe('a keyless append table on Redshift (Data API emulator)', () => {
  let fx: LoadFixture;
  let emulator: RedshiftEmulator;
  beforeAll(async () => {
    fx = await createLoadFixture('shapes_rs');
    emulator = await startRedshiftEmulator({ postgresUrl: fx.warehouseUrl, s3Endpoint: testS3Endpoint() });
    await fx.warehouse.close();
    fx.warehouse = emulatedWarehouse(emulator, { name: 'emulated' });
    await fx.source.query(`${EVENTS_SQL}
      create table audit (amount numeric, at timestamptz not null);
      insert into audit values (1, '2026-11-23 01:00:00+00'), ('NaN', '2026-11-23 02:00:00+00');`);
    fx.useTables(`${EVENTS_YML}      audit: { mode: append, cursor: at }\n`);
  });
  afterAll(async () => {
    await fx?.close();
    await emulator?.close();
  });

  it('names no key when a keyless row holds a value Redshift cannot load', async () => {
    const extract = extractTableToS3(fx.table('shop.audit'), day1, {
      source: fx.source,
      s3: fx.bucket.client,
      staging: fx.project.staging,
      valueLimits: 'redshift',
    });
    await expect(extract).rejects.toThrow(
      /^shop\.audit: column amount holds numeric NaN or infinity in 1 row\(s\), which Redshift cannot load; fix the source, or set value_policy: null or truncate on /,
    );
  });

  it('reloads a day idempotently, keeps duplicate rows, and adds the next day', async () => {
    await expectAppendIdempotent(fx);
  });
});

describe('partitioned tables, inheritance parents, views', () => {
  let fx: LoadFixture;
  beforeAll(async () => {
    fx = await createLoadFixture('shapes_src');
    await fx.source.query(`
      create table measurements (id int, taken_at timestamptz not null, value int, primary key (id, taken_at)) partition by range (taken_at);
      create table measurements_2026_11 partition of measurements for values from ('2026-11-01') to ('2026-12-01');
      create table measurements_2026_12 partition of measurements for values from ('2026-12-01') to ('2027-01-01');
      create index on measurements (taken_at);
      insert into measurements select g, '2026-11-23 00:00:00+00'::timestamptz + g * interval '1 minute', g from generate_series(1, 40) g;
      insert into measurements select g, '2026-12-02 00:00:00+00', g from generate_series(1, 25) g;
      create table cities (id int primary key, name text, updated_at timestamptz not null);
      create table capitals (country text) inherits (cities);
      create table old_capitals () inherits (capitals);
      insert into cities select g, 'c' || g, '2026-11-23 10:00:00+00' from generate_series(1, 10) g;
      insert into capitals select 100 + g, 'k' || g, '2026-11-23 10:00:00+00', 'x' from generate_series(1, 3) g;
      create table orders (id int primary key, amount int, updated_at timestamptz not null);
      insert into orders select g, g, '2026-11-23 10:00:00+00' from generate_series(1, 20) g;
      create view big_orders as select id, amount, updated_at from orders where amount > 5;
      create materialized view order_totals as select id, amount * 2 as doubled, updated_at from orders;`);
    fx.useTables(`      measurements: { primary_key: [id, taken_at], mode: full }
      cities: { primary_key: id, mode: full }
      big_orders: { primary_key: id, mode: full }
      order_totals: { primary_key: id, cursor: updated_at }
`);
  });
  afterAll(async () => fx?.close());

  it('reads a declaratively partitioned table once: the batch holds the parent count, from both partitions', async () => {
    const loaded = await fx.extractAndLoad('shop.measurements', day1);
    expect(loaded.rows).toBe(65);
    const raw = await fx.warehouseDb.query(`select count(*)::int as n, count(distinct (id, taken_at))::int as keys from raw.measurements`);
    expect(raw.rows[0]).toEqual({ n: 65, keys: 65 });
  });

  it("finds a partitioned parent's primary key and indexes, which are partitioned indexes", async () => {
    const shape = await introspectSourceTable(fx.source, 'public', 'measurements', 'shop.measurements');
    expect(shape.relkind).toBe('p');
    expect(shape.primaryKey).toEqual(['id', 'taken_at']);
    expect([...shape.indexedLeadingColumns].sort()).toEqual(['id', 'taken_at']);
  });

  it('reads an inheritance parent once, its child included', async () => {
    const loaded = await fx.extractAndLoad('shop.cities', day1);
    expect(loaded.rows).toBe(13);
    const raw = await fx.warehouseDb.query(`select count(distinct id)::int as ids, count(*)::int as n from raw.cities`);
    expect(raw.rows[0]).toEqual({ ids: 13, n: 13 });
  });

  it('refuses a parent configured together with its partition or child, naming both', async () => {
    const both = (tables: string) => {
      fx.useTables(tables);
      return refuseParentWithChild(fx.project.tables, fx.project.tables, () => fx.source);
    };
    try {
      await expect(both('      measurements: { primary_key: id, mode: full }\n      measurements_2026_12: { primary_key: id, mode: full }\n')).rejects.toThrow(
        'pgshift.yml: shop.measurements and shop.measurements_2026_12 overlap: public.measurements_2026_12 is a partition or inheritance child of public.measurements',
      );
      await expect(both('      capitals: { primary_key: id, mode: full }\n      cities: { primary_key: id, mode: full }\n')).rejects.toThrow(ConfigError);
      await expect(both('      capitals: { primary_key: id, mode: full }\n      cities: { primary_key: id, mode: full }\n')).rejects.toThrow(
        'shop.cities and shop.capitals overlap',
      );
      // A grandchild is found too: pg_inherits is followed down every level.
      await expect(both('      cities: { primary_key: id, mode: full }\n      old_capitals: { primary_key: id, mode: full }\n')).rejects.toThrow(
        'shop.cities and shop.old_capitals overlap',
      );
      // Partitions configured on their own, without the parent, are fine.
      await expect(
        both('      measurements_2026_11: { primary_key: id, mode: full }\n      measurements_2026_12: { primary_key: id, mode: full }\n'),
      ).resolves.toBeUndefined();
    } finally {
      fx.useTables(`      measurements: { primary_key: [id, taken_at], mode: full }
      cities: { primary_key: id, mode: full }
      big_orders: { primary_key: id, mode: full }
      order_totals: { primary_key: id, cursor: updated_at }
`);
    }
  });

  it('extracts a view in full mode without warnings, and a materialized view by cursor with the warning', async () => {
    const view = await captureLogs(() => fx.extractAndLoad('shop.big_orders', day1));
    expect(view.result.rows).toBe(15);
    expect(view.lines.filter((line) => line.level === 'warn')).toEqual([]);
    const materialized = await captureLogs(() => fx.extractAndLoad('shop.order_totals', day1));
    expect(materialized.result.rows).toBe(20);
    expect(materialized.lines.filter((line) => line.level === 'warn').map((line) => line.msg)).toEqual([
      `shop.order_totals: "public"."order_totals" is a materialized view; its cursor 'updated_at' is only as good as the view's definition and its last REFRESH, so refresh it before the extract or prefer mode: full`,
    ]);
  });

  it('extracts a view by cursor with the warning, using the declared key', async () => {
    fx.useTables('      big_orders: { primary_key: id, cursor: updated_at }\n');
    const table = fx.table('shop.big_orders');
    const { result, lines } = await captureLogs(() => extractTableToS3(table, day1, { source: fx.source, s3: fx.bucket.client, staging: fx.project.staging }));
    expect(result.rows).toBe(15);
    expect(lines.filter((line) => line.level === 'warn').map((line) => line.msg)).toEqual([
      `shop.big_orders: "public"."big_orders" is a view; its cursor 'updated_at' is only as good as the view's definition (rows whose cursor does not move when they change are missed), so prefer mode: full or a cursor taken straight from one underlying table`,
    ]);
  });
});
