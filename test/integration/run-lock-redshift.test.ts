// The run lock on Redshift (a lease row in pgshift_meta.run_lock) through the Data API emulator:
// a second run is refused while the lease is held and naming its holder, gets it once released,
// and takes over a lease whose heartbeat stopped long ago (a run that crashed).

import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { hostname } from 'node:os';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { acquireRedshiftRunLock, DEFAULT_LEASE_TIMING } from '../../src/warehouse/redshift-run-lock.js';
import { RunLockTimeoutError } from '../../src/warehouse/run-lock.js';
import type { Warehouse } from '../../src/warehouse/warehouse.js';
import { captureLogs } from '../support/capture-logs.js';
import { emulatedWarehouse } from '../support/emulated-redshift.js';
import { startRedshiftEmulator, type RedshiftEmulator } from '../support/redshift-emulator/index.js';
import { createTestDatabase, type TestDatabase, testS3Endpoint } from '../support/test-env.js';
import { testPool } from '../support/test-pool.js';

describe('the run lock on Redshift (Data API emulator)', () => {
  let database: TestDatabase;
  let emulator: RedshiftEmulator;
  let warehouse: Warehouse;
  let db: pg.Pool;

  beforeAll(async () => {
    database = await createTestDatabase('run_lock_rs');
    emulator = await startRedshiftEmulator({ postgresUrl: database.url, s3Endpoint: testS3Endpoint() });
    warehouse = emulatedWarehouse(emulator, { name: 'prod' });
    db = testPool({ connectionString: database.url, max: 1 });
  });
  afterAll(async () => {
    await warehouse?.close();
    await emulator?.close();
    await db?.end();
    await database?.drop();
  });

  const request = { targetName: 'prod', timeoutMs: 0 };
  const leases = async () => (await db.query('select run_id, host, pid from pgshift_meta.run_lock')).rows;

  it('refuses a second run while the lease is held, naming the holder, and lets it in once released', async () => {
    const first = await acquireRedshiftRunLock(warehouse, request);
    const refused = await acquireRedshiftRunLock(warehouse, request).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(RunLockTimeoutError);
    expect((refused as Error).message).toContain(`target prod is locked by run ${first.holder.runId} (started `);
    expect((refused as Error).message).toContain(`host ${first.holder.host}, pid ${process.pid})`);
    expect(await leases()).toEqual([{ run_id: first.holder.runId, host: first.holder.host, pid: process.pid }]);
    await first.release();
    expect(await leases()).toEqual([]);
    const second = await acquireRedshiftRunLock(warehouse, request);
    expect(await leases()).toEqual([expect.objectContaining({ run_id: second.holder.runId })]);
    await second.release();
  });

  it('takes over a lease whose heartbeat stopped, and says whose', async () => {
    await db.query(`insert into pgshift_meta.run_lock (run_id, host, pid, started_at, heartbeat_at)
      values ('crashed-run', 'old-host', 4242, now() - interval '2 days', now() - interval '1 day')`);
    const { result: lock, lines } = await captureLogs(() => acquireRedshiftRunLock(warehouse, request));
    expect(lines.map((line) => line.msg)).toContainEqual(
      expect.stringMatching(/took over the run lock on target prod from run crashed-run \(.*host old-host, pid 4242\)/),
    );
    expect(await leases()).toEqual([expect.objectContaining({ run_id: lock.holder.runId })]);
    await lock.release();
  });

  it('renews the heartbeat while it holds the lease', async () => {
    const lock = await acquireRedshiftRunLock(warehouse, request, { ...DEFAULT_LEASE_TIMING, heartbeatMs: 50 });
    try {
      // Pushed into the past, the heartbeat comes back to the cluster's present.
      await db.query(`update pgshift_meta.run_lock set heartbeat_at = heartbeat_at - interval '1 hour'`);
      await vi.waitFor(
        async () => {
          const { rows } = await db.query(`select heartbeat_at > (now() at time zone 'UTC') - interval '10 minutes' as fresh from pgshift_meta.run_lock`);
          expect(rows).toEqual([{ fresh: true }]);
        },
        { timeout: 30_000, interval: 50 },
      );
    } finally {
      await lock.release();
    }
  });

  it('does not take over a lease whose heartbeat is recent', async () => {
    await db.query(`insert into pgshift_meta.run_lock (run_id, host, pid, started_at, heartbeat_at)
      values ('live-run', 'busy-host', 7, now(), now() at time zone 'UTC')`);
    await expect(acquireRedshiftRunLock(warehouse, request)).rejects.toThrow(/target prod is locked by run live-run \(.*host busy-host, pid 7\)/);
    await db.query('delete from pgshift_meta.run_lock');
  });
  it('takes over at once a lease whose process on this host is gone (a run killed a moment ago)', async () => {
    // A pid that existed and has ended: a child process that already exited.
    const child = spawn(process.execPath, ['-e', '']);
    await once(child, 'exit');
    await db.query(
      `insert into pgshift_meta.run_lock (run_id, host, pid, started_at, heartbeat_at)
      values ('killed-run', $1, $2, now(), now() at time zone 'UTC')`,
      [hostname(), child.pid],
    );
    const { result: lock, lines } = await captureLogs(() => acquireRedshiftRunLock(warehouse, request));
    expect(lines.map((line) => line.msg)).toContainEqual(
      expect.stringMatching(/took over the run lock on target prod from run killed-run .*its process is no longer running on this host/),
    );
    expect(await leases()).toEqual([expect.objectContaining({ run_id: lock.holder.runId })]);
    await lock.release();
  });

  it('does not take over a lease whose process on this host is alive', async () => {
    await db.query(
      `insert into pgshift_meta.run_lock (run_id, host, pid, started_at, heartbeat_at)
      values ('this-very-process', $1, $2, now(), now() at time zone 'UTC')`,
      [hostname(), process.ppid],
    );
    await expect(acquireRedshiftRunLock(warehouse, request)).rejects.toThrow(/target prod is locked by run this-very-process/);
    await db.query('delete from pgshift_meta.run_lock');
  });
});
