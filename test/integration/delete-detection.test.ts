// Hard deletes without logical replication, on both warehouses: a table with `deletes: detect`
// streams its keys with every extract, and the load records a tombstone for each live key the
// source no longer has. A re-inserted row comes back, a rerun of a day replaces its tombstones,
// a mass delete is refused until a run accepts it, and counts that disagree fail the table.

import { PutObjectCommand } from '@aws-sdk/client-s3';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intervalFromFlags, type Interval } from '../../src/batch/interval.js';
import { extractTableToS3 } from '../../src/extract/extract-table.js';
import { loadTableBatch, type LoadResult } from '../../src/load/load-batch.js';
import { createLoadFixture, type LoadFixture } from '../support/load-fixture.js';
import { startRedshiftEmulator, type RedshiftEmulator } from '../support/redshift-emulator/index.js';
import { readGunzipped, readJson } from '../support/s3-objects.js';
import { testS3Endpoint } from '../support/test-env.js';
import { emulatedWarehouse } from '../support/emulated-redshift.js';
import { captureLogs } from '../support/capture-logs.js';

const day = (date: string): Interval => intervalFromFlags({ date });
const TABLES = `      orders: { primary_key: id, cursor: updated_at, lookback: 0s, deletes: detect }
      lines: { primary_key: [order_id, line], cursor: updated_at, lookback: 0s, deletes: detect, max_delete_ratio: 0.5 }`;

describe.each(['postgres', 'redshift'] as const)('delete detection on %s', (warehouseType) => {
  let fx: LoadFixture;
  let emulator: RedshiftEmulator | undefined;

  beforeAll(async () => {
    fx = await createLoadFixture(`deletes_${warehouseType}`);
    if (warehouseType === 'redshift') {
      emulator = await startRedshiftEmulator({ postgresUrl: fx.warehouseUrl, s3Endpoint: testS3Endpoint() });
      await fx.warehouse.close();
      fx.warehouse = emulatedWarehouse(emulator, { name: 'emulated' });
    }
    await fx.source.query(`
      create table orders (id int primary key, status text, updated_at timestamptz not null);
      insert into orders select g, 'new', '2026-11-20 10:00:00+00' from generate_series(1, 100) g;
      create table lines (order_id int, line int, qty int, updated_at timestamptz not null, primary key (order_id, line));
      insert into lines select g, l, l, '2026-11-20 10:00:00+00' from generate_series(1, 10) g, generate_series(1, 2) l;`);
    fx.useTables(TABLES);
  });
  afterAll(async () => {
    await fx?.close();
    await emulator?.close();
  });

  const run = async (id: string, date: string, acceptDeletes: string[] = []): Promise<LoadResult> => {
    const table = fx.table(id);
    await extractTableToS3(table, day(date), { source: fx.source, s3: fx.bucket.client, staging: fx.project.staging });
    return load(id, date, acceptDeletes);
  };
  const load = (id: string, date: string, acceptDeletes: string[] = []) =>
    loadTableBatch(fx.table(id), day(date), {
      warehouse: fx.warehouse,
      s3: fx.bucket.client,
      staging: fx.project.staging,
      rawSchema: fx.project.rawSchema,
      acceptDeletes: new Set(acceptDeletes),
    });
  /** The ids a model sees: the newest version of each key by extraction, unless it is a tombstone. */
  const liveIds = async (): Promise<number[]> => {
    const { rows } = await fx.warehouseDb.query<{ id: number }>(
      `select id from (select id, _pgshift_deleted_at, row_number() over (partition by id order by _pgshift_extracted_at desc) as v from raw.orders) newest
        where v = 1 and _pgshift_deleted_at is null order by id`,
    );
    return rows.map((row) => row.id);
  };
  const rawCount = async (table = 'orders') => Number((await fx.warehouseDb.query(`select count(*) from raw.${table}`)).rows[0].count);
  const ids = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, index) => from + index);

  it('the first load records every row and no tombstone; the batch carries the keys it saw', async () => {
    const result = await run('shop.orders', '2026-11-20');
    expect(result.reconciliation).toEqual({ sourceRows: 100, batchRows: 100, loadedRows: 100, tombstones: 0, sourceKeys: 100, liveKeys: 0 });
    expect(await liveIds()).toEqual(ids(1, 100));
    const batch = await readJson<{ keys: { rows: number; manifest_key: string; parts: { key: string }[] } }>(
      fx.bucket.client,
      fx.bucket.bucket,
      `batches/shop/orders/2026-11-20/manifest.json`,
    ).then(async (manifest) => {
      const attempt = (manifest as unknown as { entries: { url: string }[] }).entries[0]!.url.split('/').slice(-2, -1)[0];
      return readJson<{ keys: { rows: number; manifest_key: string; parts: { key: string }[] } }>(
        fx.bucket.client,
        fx.bucket.bucket,
        `batches/shop/orders/2026-11-20/${attempt}/batch.json`,
      );
    });
    expect(batch.keys.rows).toBe(100);
    const keyFile = (await readGunzipped(fx.bucket.client, fx.bucket.bucket, batch.keys.parts[0]!.key)).toString('utf8');
    expect(keyFile.split('\n').filter(Boolean)).toHaveLength(100);
    expect(keyFile.startsWith('1\n')).toBe(true);
  });

  it('rows deleted in the source become tombstones of the next day, carrying their last values', async () => {
    await fx.source.query(`delete from orders where id in (3, 4, 5); update orders set status = 'shipped', updated_at = '2026-11-21 09:00:00+00' where id = 6`);
    const result = await run('shop.orders', '2026-11-21');
    expect(result.reconciliation).toMatchObject({ sourceRows: 1, batchRows: 1, loadedRows: 1, tombstones: 3, sourceKeys: 97, liveKeys: 100 });
    expect(await liveIds()).toEqual([1, 2, ...ids(6, 100)]);
    const { rows } = await fx.warehouseDb.query(
      `select id, status, _pgshift_batch_id as batch, _pgshift_deleted_at is not null as deleted from raw.orders where _pgshift_deleted_at is not null order by id`,
    );
    expect(rows).toEqual([3, 4, 5].map((id) => ({ id, status: 'new', batch: '2026-11-21', deleted: true })));
  });

  it('a re-inserted row comes back on the next run', async () => {
    await fx.source.query(`insert into orders values (4, 'restored', '2026-11-22 08:00:00+00')`);
    const result = await run('shop.orders', '2026-11-22');
    expect(result.reconciliation).toMatchObject({ batchRows: 1, tombstones: 0, sourceKeys: 98, liveKeys: 97 });
    expect(await liveIds()).toEqual([1, 2, 4, ...ids(6, 100)]);
  });

  it('a rerun of a day replaces its tombstones with the rest of its batch', async () => {
    const before = await rawCount();
    // Order 4 is back since, so the rerun of the 21st finds only 3 and 5 gone.
    const result = await run('shop.orders', '2026-11-21');
    expect(result.reconciliation).toMatchObject({ tombstones: 2 });
    expect(await rawCount()).toBe(before - 1);
    expect(await liveIds()).toEqual([1, 2, 4, ...ids(6, 100)]);
    const again = await run('shop.orders', '2026-11-21');
    expect(again.reconciliation).toMatchObject({ tombstones: 2 });
    expect(await rawCount()).toBe(before - 1);
  });

  it('refuses a mass delete with both counts, leaving raw as it was, and applies it when the run accepts it', async () => {
    await fx.source.query(`delete from orders where id between 50 and 69`);
    const before = await rawCount();
    await expect(run('shop.orders', '2026-11-23')).rejects.toThrow(
      /shop\.orders: 20 of the 98 live rows in raw\.orders \(20\.4%\) are no longer in the source \(78 keys\), more than max_delete_ratio 10%; batch 2026-11-23 was not loaded and nothing was deleted\. If the deletes are real, rerun with --accept-deletes shop\.orders/,
    );
    expect(await rawCount()).toBe(before);
    expect(await liveIds()).toHaveLength(98);
    const accepted = await load('shop.orders', '2026-11-23', ['shop.orders']);
    expect(accepted.reconciliation).toMatchObject({ tombstones: 20, liveKeys: 98, sourceKeys: 78 });
    expect(await liveIds()).toEqual([1, 2, 4, ...ids(6, 49), ...ids(70, 100)]);
  });

  it('an empty source is a mass delete too: nothing is applied', async () => {
    await fx.source.query(`create table orders_backup as select * from orders; delete from orders`);
    await expect(run('shop.orders', '2026-11-24')).rejects.toThrow(/78 of the 78 live rows .* \(100%\) are no longer in the source \(0 keys\)/);
    expect(await liveIds()).toHaveLength(78);
    await fx.source.query(`insert into orders select * from orders_backup; drop table orders_backup`);
  });

  it('compares composite keys column by column', async () => {
    await run('shop.lines', '2026-11-20');
    await fx.source.query(`delete from lines where order_id = 2 and line = 1`);
    const result = await run('shop.lines', '2026-11-21');
    expect(result.reconciliation).toMatchObject({ tombstones: 1, sourceKeys: 19, liveKeys: 20 });
    const { rows } = await fx.warehouseDb.query(`select order_id, line from raw.lines where _pgshift_deleted_at is not null`);
    expect(rows).toEqual([{ order_id: 2, line: 1 }]);
  });

  it('warns of a row restored with its old cursor value, which no later window reads', async () => {
    // Order 3 was deleted on the 21st; the application restores it as it was.
    await fx.source.query(`insert into orders values (3, 'new', '2026-11-20 10:00:00+00')`);
    const { result, lines } = await captureLogs(() => run('shop.orders', '2026-11-27'));
    expect(result.reconciliation).toMatchObject({ tombstones: 0, returnedKeys: 1 });
    expect(lines.map((line) => line.msg)).toContainEqual(
      "shop.orders: 1 row(s) deleted earlier are back in the source with a cursor outside this interval's window; raw keeps them deleted until they change, or re-extract the interval of their cursor",
    );
    expect(await liveIds()).not.toContain(3);
    await fx.source.query('delete from orders where id = 3');
  });

  it('detects nothing from a batch extracted before rows raw already holds, and says so', async () => {
    const extract = (date: string) =>
      extractTableToS3(fx.table('shop.orders'), day(date), { source: fx.source, s3: fx.bucket.client, staging: fx.project.staging });
    await extract('2026-11-28');
    // Later deletes and a later day, loaded first.
    await fx.source.query(`delete from orders where id in (70, 71)`);
    await run('shop.orders', '2026-11-29');
    const live = await liveIds();
    expect(live).not.toContain(70);
    await fx.source.query(`insert into orders values (500, 'new', '2026-11-29 09:00:00+00')`);
    // The 28th's keys predate the 29th's rows: loading them now must not tombstone anything.
    const { result, lines } = await captureLogs(() => load('shop.orders', '2026-11-28'));
    expect(result.reconciliation).toMatchObject({ tombstones: 0 });
    expect(
      lines.some((line) => /batch 2026-11-28 was extracted at .*, before rows raw\.orders already holds; its keys are older than raw's/.test(line.msg)),
    ).toBe(true);
    expect(await liveIds()).toEqual(live);
  });

  it('warns at each load of a table that stopped detecting deletes while raw keeps its tombstones', async () => {
    fx.useTables(TABLES.replace('deletes: detect }', 'deletes: ignore }'));
    try {
      const { lines } = await captureLogs(() => run('shop.orders', '2026-11-30'));
      expect(lines.map((line) => line.msg).find((msg) => msg.includes('tombstone(s) from when the table detected deletes'))).toMatch(
        /^shop\.orders: raw\.orders holds \d+ tombstone\(s\) from when the table detected deletes, .*delete from "raw"\."orders" where "_pgshift_deleted_at" is not null/,
      );
    } finally {
      fx.useTables(TABLES);
    }
  });

  it("applies nothing when the batch's key files are incomplete: no tombstone, no row", async () => {
    await fx.source.query(`delete from orders where id in (80, 81)`);
    await extractTableToS3(fx.table('shop.orders'), day('2026-12-01'), { source: fx.source, s3: fx.bucket.client, staging: fx.project.staging });
    const manifest = await readJson<{ entries: { url: string }[] }>(fx.bucket.client, fx.bucket.bucket, 'batches/shop/orders/2026-12-01/manifest.json');
    const attempt = manifest.entries[0]!.url.replace(`s3://${fx.bucket.bucket}/`, '').replace(/part-\d+\.csv\.gz$/, '');
    // A key file that lost its last lines: the scan's count in batch.json no longer matches it.
    const keyPart = `${attempt}keys/part-00000.csv.gz`;
    const keysText = (await readGunzipped(fx.bucket.client, fx.bucket.bucket, keyPart)).toString('utf8').split('\n').filter(Boolean);
    await fx.bucket.client.send(new PutObjectCommand({ Bucket: fx.bucket.bucket, Key: keyPart, Body: gzipSync(`${keysText.slice(0, -10).join('\n')}\n`) }));
    const before = await rawCount();
    const live = await liveIds();
    await expect(load('shop.orders', '2026-12-01')).rejects.toThrow(/orders__pgshift_keys/);
    expect(await rawCount()).toBe(before);
    expect(await liveIds()).toEqual(live);
  });

  it('a batch whose files hold other counts than batch.json fails the table with every number, changing nothing', async () => {
    await fx.source.query(`update lines set updated_at = '2026-11-26 10:00:00+00' where order_id <= 3`);
    await extractTableToS3(fx.table('shop.lines'), day('2026-11-26'), { source: fx.source, s3: fx.bucket.client, staging: fx.project.staging });
    const manifest = await readJson<{ entries: { url: string }[] }>(fx.bucket.client, fx.bucket.bucket, 'batches/shop/lines/2026-11-26/manifest.json');
    const partKey = manifest.entries[0]!.url.replace(`s3://${fx.bucket.bucket}/`, '');
    const rows = (await readGunzipped(fx.bucket.client, fx.bucket.bucket, partKey)).toString('utf8').split('\n').filter(Boolean);
    await fx.bucket.client.send(
      new PutObjectCommand({ Bucket: fx.bucket.bucket, Key: partKey, Body: gzipSync(`${rows.slice(1).join('\n')}\n`), ContentEncoding: 'gzip' }),
    );
    const before = await rawCount('lines');
    await expect(load('shop.lines', '2026-11-26')).rejects.toThrow(/reconciliation: source 5, batch 5, loaded none \(rolled back\), tombstones 0/);
    expect(await rawCount('lines')).toBe(before);
  });
});
