// A table read as N ctid ranges at once, all under one exported snapshot: 2 and 4 slices give
// exactly the rows one COPY gives, even when another session commits changes after the snapshot
// was taken; a failure in one range publishes nothing and leaves the previous batch as it was;
// an incremental window is split the same way; a small table stays one file.

import type { S3Client } from '@aws-sdk/client-s3';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intervalFromFlags } from '../../src/batch/interval.js';
import type { SourceTable, StagingSettings } from '../../src/config/project.js';
import { getPostgresConn, getS3Conn } from '../../src/connections.js';
import { CancelledError, ExtractError } from '../../src/errors.js';
import { extractTableToS3, type ExtractContext, type ExtractResult } from '../../src/extract/extract-table.js';
import { loadTableBatch } from '../../src/load/load-batch.js';
import { createLoadFixture, type LoadFixture } from '../support/load-fixture.js';
import { listKeys, openMultipartUploads, readObject } from '../support/s3-objects.js';
import { testS3Endpoint } from '../support/test-env.js';
import { waitFor } from '../support/wait-for.js';

const day = intervalFromFlags({ date: '2026-11-23' });
const ROWS = 200_000;
const TABLES = `      events: { primary_key: id, mode: full }
      daily: { primary_key: id, cursor: updated_at, lookback: 0s }
      tiny: { primary_key: id, mode: full }`;

describe('a table read in ranges under one snapshot', () => {
  let fx: LoadFixture;
  /** Enough connections for a snapshot's session and 4 ranges. */
  let pool: pg.Pool;
  let other: pg.Pool;

  beforeAll(async () => {
    fx = await createLoadFixture('slices');
    await fx.source.query(`
      create table events (id int primary key, status text not null, payload text, updated_at timestamptz not null);
      insert into events select g, 'new', md5(g::text) || md5((g * 7)::text), '2026-11-23 00:00:00+00'::timestamptz + g * interval '1 second' / 4
        from generate_series(1, ${ROWS}) g;
      -- Two days of rows: the 23rd holds the ids from 100001 on.
      create table daily (id int primary key, payload text, updated_at timestamptz not null);
      insert into daily select g, md5(g::text) || md5((g * 3)::text), '2026-11-22 00:00:00+00'::timestamptz + (g - 1) * (interval '2 days' / ${ROWS})
        from generate_series(1, ${ROWS}) g;
      create index on daily (updated_at);
      create table tiny (id int primary key, status text);
      insert into tiny select g, 'x' from generate_series(1, 100) g;
      analyze events; analyze daily; analyze tiny;`);
    fx.useTables(TABLES);
    pool = getPostgresConn({ connectionString: (fx.source.options as { connectionString: string }).connectionString, max: 10 });
    other = getPostgresConn({ connectionString: (fx.source.options as { connectionString: string }).connectionString, max: 2 });
  });
  afterAll(async () => {
    await pool?.end();
    await other?.end();
    await fx?.close();
  });

  const table = (id: string, slices: number | 'auto'): SourceTable => ({ ...fx.table(id), slices });
  const context = (overrides: Partial<ExtractContext> = {}): ExtractContext => ({
    source: pool,
    s3: fx.bucket.client,
    staging: fx.project.staging,
    ...overrides,
  });
  const load = (source: SourceTable, s3: S3Client = fx.bucket.client) =>
    loadTableBatch(source, day, { warehouse: fx.warehouse, s3, staging: fx.project.staging, rawSchema: fx.project.rawSchema });
  const checksum = async (relation: string): Promise<{ rows: number; md5: string }> => {
    const { rows } = await fx.warehouseDb.query<{ rows: number; md5: string }>(
      `select count(*)::int as rows, md5(string_agg(concat_ws('|', id, status, payload, updated_at), ',' order by id)) as md5 from ${relation}`,
    );
    return rows[0]!;
  };
  const objects = async (prefix: string): Promise<Record<string, string>> => {
    const found: Record<string, string> = {};
    for (const key of await listKeys(fx.bucket.client, fx.bucket.bucket, prefix))
      found[key] = (await readObject(fx.bucket.client, fx.bucket.bucket, key)).toString('base64');
    return found;
  };

  describe('2 and 4 slices give the rows of one COPY', () => {
    let single: { rows: number; md5: string };

    beforeAll(async () => {
      const result = await extractTableToS3(table('shop.events', 1), day, context());
      expect(result.slices).toBe(1);
      expect(result.document.ranges).toBeUndefined();
      await load(table('shop.events', 1));
      single = await checksum('raw.events');
      expect(single.rows).toBe(ROWS);
    });

    for (const slices of [2, 4]) {
      it(`${slices} slices, while another session commits changes after the snapshot`, async () => {
        let changed = 0;
        let result: ExtractResult;
        try {
          result = await extractTableToS3(
            table('shop.events', slices),
            day,
            context({
              // After the export, before any range reads: rows in the first, a middle and the last
              // block change, one row goes and one arrives. None of it may reach the batch.
              onSnapshotExported: async () => {
                changed = (await other.query(`update events set status = 'changed after the snapshot' where id in (1, ${ROWS / 2}, ${ROWS - 1}, ${ROWS})`))
                  .rowCount!;
                await other.query(`delete from events where id = 7`);
                await other.query(`insert into events values (${ROWS + 1}, 'new after the snapshot', null, now())`);
              },
            }),
          );
        } finally {
          await other.query(`update events set status = 'new' where status = 'changed after the snapshot'`);
          await other.query(`insert into events select 7, 'new', md5('7') || md5('49'), '2026-11-23 00:00:00+00'::timestamptz + 7 * interval '1 second' / 4
                               where not exists (select from events where id = 7)`);
          await other.query(`delete from events where id = ${ROWS + 1}`);
        }
        expect(changed).toBe(4);
        // The live table did change while the ranges read: the snapshot alone kept it out.
        expect(result.slices).toBe(slices);
        const ranges = result.document.ranges!;
        expect(ranges.length).toBeGreaterThanOrEqual(slices);
        expect(ranges.map((range) => range.index)).toEqual([...ranges.keys()]);
        expect(ranges.at(-1)!.end_block).toBeNull();
        for (const range of ranges) expect(range.rows).toBe(range.source_rows);
        expect(ranges.reduce((sum, range) => sum + range.rows, 0)).toBe(ROWS);
        expect(result.document.source_rows).toBe(ROWS);
        // Parts are named per range and listed in range order.
        const names = result.document.parts.map((part) => part.key.split('/').at(-1));
        expect(names[0]).toBe('part-00000-00000.csv.gz');
        expect(names).toEqual([...names].sort());
        expect(new Set(names).size).toBe(names.length);

        const loaded = await load(table('shop.events', slices));
        expect(loaded.rows).toBe(ROWS);
        expect(await checksum('raw.events')).toEqual(single);
      });
    }
  });

  it('a failure in one range aborts every range: the published batch stays, no new manifest, no upload left open', async () => {
    await extractTableToS3(table('shop.events', 1), day, context());
    const before = await objects('batches/shop/events/');
    // The real client, refusing the writes of range 1's part only: an S3 error in one range.
    const failing = getS3Conn({ endpoint: testS3Endpoint(), maxAttempts: 1 });
    const stored: string[] = [];
    failing.middlewareStack.add(
      (next) => async (args) => {
        const key = (args.input as { Key?: string }).Key ?? '';
        if (key.includes('/part-00001-')) throw Object.assign(new Error('We encountered an internal error. Please try again.'), { name: 'InternalError' });
        const result = await next(args);
        stored.push(key);
        return result;
      },
      { step: 'initialize', name: 'failRangeOne' },
    );
    // Six ranges on two connections: range 1 fails while its neighbour reads range 0 (or 2);
    // ranges 3 to 5 are still queued then, and must never be read.
    const staging: StagingSettings = { ...fx.project.staging, warehouseSlices: 6 };
    try {
      const extract = extractTableToS3(table('shop.events', 2), day, context({ s3: failing, staging }));
      await expect(extract).rejects.toBeInstanceOf(ExtractError);
      await expect(extract).rejects.toThrow(/^shop\.events: extract failed during upload .*We encountered an internal error/);
    } finally {
      failing.destroy();
    }
    expect(stored.filter((key) => /\/part-0000[3-5]-/.test(key))).toEqual([]);
    expect(await objects('batches/shop/events/')).toEqual(before);
    expect(await openMultipartUploads(fx.bucket.client, fx.bucket.bucket)).toEqual([]);
    // And what stayed published still loads whole.
    expect((await load(table('shop.events', 1))).rows).toBe(ROWS);
  });

  it('Ctrl-C stops every range: cancelled, the published batch unchanged, no upload left open', async () => {
    await extractTableToS3(table('shop.events', 1), day, context());
    const before = await objects('batches/shop/events/');
    const controller = new AbortController();
    // Ctrl-C once the first rows are written: ranges are copying then, and others still queued.
    let copying: Promise<unknown> = Promise.resolve();
    const cancelled = extractTableToS3(
      table('shop.events', 4),
      day,
      context({
        signal: controller.signal,
        onStreaming: (live) => {
          copying = waitFor(async () => (live.rows() > 0 ? true : undefined), cancelled, 'the first rows written').then(() => controller.abort());
        },
      }),
    );
    await expect(cancelled).rejects.toBeInstanceOf(CancelledError);
    await copying;
    await expect(cancelled).rejects.toThrow(/^shop\.events: extract cancelled during copy; the interval's previous batch, if any, is unchanged$/);
    expect(await objects('batches/shop/events/')).toEqual(before);
    expect(await openMultipartUploads(fx.bucket.client, fx.bucket.bucket)).toEqual([]);
    // No range's session is left behind, in a transaction or copying (the server's own
    // workers, autovacuum among them, are not sessions of the extract).
    const { rows } = await other.query<{ n: number }>(
      `select count(*)::int as n from pg_stat_activity
        where datname = current_database() and backend_type = 'client backend' and pid <> pg_backend_pid() and state <> 'idle'`,
    );
    expect(rows[0]!.n).toBe(0);
  });

  it('splits an incremental window by ctid too', async () => {
    const result = await extractTableToS3(table('shop.daily', 2), day, context());
    const expected = (
      await fx.source.query<{ n: number }>(`select count(*)::int as n from daily where updated_at >= '2026-11-23' and updated_at < '2026-11-24'`)
    ).rows[0]!.n;
    expect(expected).toBe(ROWS / 2);
    expect(result.slices).toBe(2);
    expect(result.document.ranges!.length).toBeGreaterThanOrEqual(2);
    expect(result.rows).toBe(expected);
    expect(result.document.source_rows).toBe(expected);
    // The window's rows sit in the table's second half: the ranges split those blocks (the first
    // still from block 0, the last open-ended), so each range reads a share of the window.
    const ranges = result.document.ranges!;
    const { rows: size } = await fx.source.query<{ pages: number }>(`select (pg_relation_size('daily') / current_setting('block_size')::int)::int as pages`);
    expect(ranges[0]!.start_block).toBe(0);
    expect(ranges.at(-1)!.end_block).toBeNull();
    expect(ranges[1]!.start_block).toBeGreaterThan(size[0]!.pages / 2);
    for (const range of ranges) expect(range.rows).toBeGreaterThan(ROWS / 2 / ranges.length / 2);
    const loaded = await load(table('shop.daily', 2));
    expect(loaded.rows).toBe(expected);
    const { rows } = await fx.warehouseDb.query<{ low: number; high: number }>('select min(id)::int as low, max(id)::int as high from raw.daily');
    expect(rows[0]).toEqual({ low: ROWS / 2 + 1, high: ROWS });
  });

  it('a small table stays one file, whatever slices it is given', async () => {
    const result = await extractTableToS3(table('shop.tiny', 4), day, context());
    expect(result.slices).toBe(1);
    expect(result.document.ranges).toBeUndefined();
    expect(result.document.parts.map((part) => part.key.split('/').at(-1))).toEqual(['part-00000.csv.gz']);
  });

  it("the number of parts is a multiple of the warehouse's slices", async () => {
    const staging: StagingSettings = { ...fx.project.staging, warehouseSlices: 3 };
    const result = await extractTableToS3(table('shop.events', 2), day, context({ staging }));
    expect(result.parts % 3).toBe(0);
    expect(result.document.ranges!.length).toBe(result.parts);
    for (const part of result.document.parts) expect(part.bytes).toBeGreaterThanOrEqual(1024 * 1024);
  });
});
