// Two loads of the same batch at once, on PostgreSQL and on the Redshift Data API emulator: a
// test transaction holds the raw table so both queue behind it, then lets go; each key must end
// up once and the batch must have one record. Also: a full-mode load marks the batches it
// replaced as superseded.

import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { intervalFromFlags } from '../../src/batch/interval.js';
import { extractTableToS3 } from '../../src/extract/extract-table.js';
import { loadTableBatch } from '../../src/load/load-batch.js';
import { RedshiftDataWarehouse } from '../../src/warehouse/redshift-data-warehouse.js';
import { emulatedDataClient, emulatedTarget } from '../support/emulated-redshift.js';
import { createLoadFixture, type LoadFixture } from '../support/load-fixture.js';
import { startRedshiftEmulator, type RedshiftEmulator } from '../support/redshift-emulator/index.js';
import { testS3Endpoint } from '../support/test-env.js';

const day = intervalFromFlags({ date: '2026-11-23' });
const nextDay = intervalFromFlags({ date: '2026-11-24' });

for (const backend of ['postgres', 'redshift'] as const) {
  describe(`concurrent loads on ${backend === 'postgres' ? 'PostgreSQL' : 'the Redshift emulator'}`, () => {
    let fx: LoadFixture;
    let emulator: RedshiftEmulator | undefined;

    beforeAll(async () => {
      fx = await createLoadFixture(`concurrent_${backend}`);
      if (backend === 'redshift') {
        emulator = await startRedshiftEmulator({ postgresUrl: fx.warehouseUrl, s3Endpoint: testS3Endpoint() });
        await fx.warehouse.close();
        // No retry after ERROR 1023: the loads must queue on their LOCK, not collide and try again.
        fx.warehouse = new RedshiftDataWarehouse(emulatedTarget(emulator, { name: 'emulated' }), emulatedDataClient(emulator), {
          pollInitialMs: 10,
          retries: 0,
        });
      }
      await fx.source.query(`
        create table orders (id int primary key, status text, updated_at timestamptz not null);
        insert into orders select g, 'new', '2026-11-23 10:00:00+00' from generate_series(1, 400) g;
        create table products (id int primary key, name text);
        insert into products select g, 'p' || g from generate_series(1, 20) g;`);
      fx.useTables(`      orders: { primary_key: id, cursor: updated_at }
      products: { primary_key: id, mode: full }`);
    });
    afterAll(async () => {
      await fx?.close();
      await emulator?.close();
    });

    const load = (id: string, interval = day) =>
      loadTableBatch(fx.table(id), interval, { warehouse: fx.warehouse, s3: fx.bucket.client, staging: fx.project.staging, rawSchema: fx.project.rawSchema });

    it('two loads of the same batch at once leave each row once and one batch record', async () => {
      // The raw table exists, empty of this batch, so neither load finds rows to delete.
      await fx.extractAndLoad('shop.orders', day);
      await fx.warehouseDb.query('delete from raw.orders; delete from pgshift_meta.batches');
      const blocker: pg.PoolClient = await fx.warehouseDb.connect();
      let loads: Promise<unknown>[] = [];
      try {
        await blocker.query('begin');
        await blocker.query('lock table raw.orders in access exclusive mode');
        loads = [load('shop.orders'), load('shop.orders')];
        // Both loads are inside their transactions, queued behind the test's lock.
        await vi.waitFor(
          async () => {
            const { rows } = await fx.warehouseDb.query(
              `select count(*)::int as n from pg_stat_activity
                where datname = current_database() and wait_event_type = 'Lock' and pid <> $1`,
              [(blocker as unknown as { processID: number }).processID],
            );
            expect(rows[0].n).toBe(2);
          },
          { timeout: 60_000, interval: 50 },
        );
        await blocker.query('commit');
      } finally {
        blocker.release();
      }
      await Promise.all(loads);
      const { rows } = await fx.warehouseDb.query('select count(*)::int as n, count(distinct id)::int as keys from raw.orders');
      expect(rows[0]).toEqual({ n: 400, keys: 400 });
      const batches = await fx.warehouseDb.query(`select batch_id, status from pgshift_meta.batches where table_name = 'orders'`);
      expect(batches.rows).toEqual([{ batch_id: '2026-11-23', status: 'loaded' }]);
    });

    it('a full-mode load marks the batches it replaced as superseded', async () => {
      await fx.extractAndLoad('shop.products', day);
      await extractTableToS3(fx.table('shop.products'), nextDay, { source: fx.source, s3: fx.bucket.client, staging: fx.project.staging });
      await load('shop.products', nextDay);
      const batches = await fx.warehouseDb.query(`select batch_id, status from pgshift_meta.batches where table_name = 'products' order by batch_id`);
      expect(batches.rows).toEqual([
        { batch_id: '2026-11-23', status: 'superseded' },
        { batch_id: '2026-11-24', status: 'loaded' },
      ]);
    });
  });
}
