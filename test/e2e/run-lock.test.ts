// The run lock through the command line on a PostgreSQL warehouse: while another run holds it,
// `load` and `run` refuse (or wait, bounded, saying for whom) and write nothing; once it is
// released they work; `extract`, which writes only S3, never waits. A run starts by dropping the
// helper tables a crashed run left, and puts back a table one had set aside.

import os from 'node:os';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { acquirePostgresRunLock } from '../../src/warehouse/postgres-run-lock.js';
import { runCli } from '../support/run-cli.js';
import { createOrdersCliProject, type OrdersCliProject } from '../support/orders-cli-project.js';
import type { TestDatabase } from '../support/test-env.js';
import { testPool } from '../support/test-pool.js';

describe('the run lock on the command line (PostgreSQL warehouse)', () => {
  let fixture: OrdersCliProject;
  let warehouse: TestDatabase;
  let env: Record<string, string>;
  let db: pg.Pool;

  beforeAll(async () => {
    fixture = await createOrdersCliProject('lock');
    ({ warehouse, env } = fixture);
    db = testPool({ connectionString: warehouse.url, max: 1 });
  });

  afterAll(async () => {
    await db?.end();
    await fixture?.close();
  });

  const rawOrders = async () => (await db.query(`select to_regclass('raw.orders') is not null as present`)).rows[0].present as boolean;
  const holderText = `target dev is locked by a run (started `;
  const holderWhere = `host ${os.hostname()}, pid ${process.pid})`;

  it('refuses load and run while another run holds the lock, writing nothing, and works once it is released', async () => {
    const lock = await acquirePostgresRunLock({ connectionString: warehouse.url }, { targetName: 'dev', timeoutMs: 0 });
    try {
      const extract = await runCli(['extract', '--date', '2026-11-23'], env);
      expect(extract.code).toBe(0);
      for (const command of ['load', 'run']) {
        const refused = await runCli([command, '--date', '2026-11-23', '--lock-timeout', '0'], env);
        expect(refused.code).toBe(1);
        expect(refused.stderr).toContain(holderText);
        expect(refused.stderr).toContain(holderWhere);
        expect(refused.stderr).toContain('wait for it to finish, or pass --lock-timeout <duration>');
        expect(refused.stderr.trim().split('\n')).toHaveLength(1);
      }
      expect(await rawOrders()).toBe(false);
    } finally {
      await lock.release();
    }
    const loaded = await runCli(['load', '--date', '2026-11-23', '--lock-timeout', '0'], env);
    expect(loaded.code).toBe(0);
    expect((await db.query('select count(*)::int as n from raw.orders')).rows[0].n).toBe(500);
  });

  it('waits for the holder with a message, then gives up at --lock-timeout', async () => {
    const lock = await acquirePostgresRunLock({ connectionString: warehouse.url }, { targetName: 'dev', timeoutMs: 0 });
    try {
      const result = await runCli(['load', '--date', '2026-11-23', '--lock-timeout', '1s'], env);
      expect(result.code).toBe(1);
      expect(result.stderr).toMatch(/waiting for a run \(started [^)]*\) on target dev to finish/);
      expect(result.stderr).toContain(`${holderText}`);
      expect(result.stderr).toContain('still running after 1s');
    } finally {
      await lock.release();
    }
  });

  it('two loads of the same day started together: the second waits for the first, both succeed, each row once', async () => {
    const lock = await acquirePostgresRunLock({ connectionString: warehouse.url }, { targetName: 'dev', timeoutMs: 0 });
    let loads: Promise<Awaited<ReturnType<typeof runCli>>>[] = [];
    try {
      loads = [runCli(['load', '--date', '2026-11-23'], env), runCli(['load', '--date', '2026-11-23'], env)];
      // Both processes are queued on the advisory lock the test holds.
      await vi.waitFor(
        async () => {
          const { rows } = await db.query(
            `select count(*)::int as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock' and wait_event = 'advisory'`,
          );
          expect(rows[0].n).toBe(2);
        },
        { timeout: 60_000, interval: 50 },
      );
    } finally {
      await lock.release();
    }
    const results = await Promise.all(loads);
    expect(results.map((result) => result.code)).toEqual([0, 0]);
    for (const result of results) expect(result.stderr).toContain('waiting for a run (started ');
    expect((await db.query('select count(*)::int as n, count(distinct id)::int as keys from raw.orders')).rows[0]).toEqual({ n: 500, keys: 500 });
    expect((await db.query(`select count(*)::int as n from pgshift_meta.batches where table_name = 'orders'`)).rows[0].n).toBe(1);
  });

  it('refuses a --lock-timeout that is not a duration, naming the flag', async () => {
    const result = await runCli(['load', '--date', '2026-11-23', '--lock-timeout', 'soon'], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--lock-timeout soon: expected a duration such as 30s, 10m or 1h, or 0 not to wait');
  });

  it("drops a crashed run's helper tables and puts back a table it had set aside", async () => {
    await db.query(`create schema if not exists raw; create table raw.orders__pgshift_incr (id int);
      create table raw.gone__pgshift_backup (id int); insert into raw.gone__pgshift_backup values (7);
      create table raw.orders__pgshift_backup (id int)`);
    const result = await runCli(['run', '--date', '2026-11-23'], env);
    expect(result.code).toBe(0);
    const left = await db.query(`select relname from pg_class c join pg_namespace n on n.oid = c.relnamespace where nspname = 'raw' order by 1`);
    expect(left.rows.map((row) => row.relname).filter((name: string) => !name.includes('pkey') && !name.includes('idx'))).toEqual(['gone', 'orders']);
    expect((await db.query('select id from raw.gone')).rows).toEqual([{ id: 7 }]);
  });
});
