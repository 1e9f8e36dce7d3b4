// A run without --date makes up every day since each table's last complete batch, so a night
// that failed or never ran heals itself the next; --start/--end of whole days runs day by day.
// The orders of the project: 0 on 2026-11-20, 1 and 2 on 11-23, 3 on 11-24, 4 on 11-25, 5 on 11-27.

import path from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRunResults } from '../../src/run/run-results.js';
import { type CatchUpProject, type CatchUpTarget, createCatchUpProject } from '../support/catch-up-project.js';
import { testPool } from '../support/test-pool.js';

// Early on 2026-11-26: yesterday is 2026-11-25.
const NOW = '2026-11-26T05:00:00Z';

const batchesOf = async (db: pg.Pool) =>
  (await db.query<{ batch_id: string; status: string }>(`select batch_id, status from pgshift_meta.batches order by batch_id, status`)).rows;
const rawOrders = async (db: pg.Pool) =>
  (await db.query<{ id: number; batch: string }>(`select id, _pgshift_batch_id as batch from raw.orders order by id, _pgshift_batch_id`)).rows;
const runResults = async (project: CatchUpProject) => (await readRunResults(path.join(project.projectDir, 'target')))!;

describe.each<CatchUpTarget>(['dev', 'emulated'])('a skipped day on target %s', (target) => {
  let project: CatchUpProject;
  let db: pg.Pool;

  beforeAll(async () => {
    project = await createCatchUpProject(`catch_up_${target}`, target);
    db = testPool({ connectionString: project.warehouse.url, max: 2 });
  });
  afterAll(async () => {
    await db?.end();
    await project?.close();
  });

  it('--date processes that day only; the first extract into an empty warehouse takes every earlier row', async () => {
    const run = await project.cli(NOW, 'run', '--date', '2026-11-23');
    expect(run.code, run.stderr).toBe(0);
    expect(await batchesOf(db)).toEqual([{ batch_id: '2026-11-23', status: 'loaded' }]);
    // Order 0 (2026-11-20) is far before the day's window, yet there: nothing of orders was loaded before.
    expect(await rawOrders(db)).toEqual([
      { id: 0, batch: '2026-11-23' },
      { id: 1, batch: '2026-11-23' },
      { id: 2, batch: '2026-11-23' },
    ]);
  });

  it('is caught up by the next run without a date, each batch once, windowed again, the gap named', async () => {
    const run = await project.cli(NOW, 'run');
    expect(run.code, run.stderr).toBe(0);
    const output = run.stdout + run.stderr;
    expect(output).toContain('shop.orders day 1/2: 2026-11-24');
    expect(output).toContain('shop.orders day 2/2: 2026-11-25');
    expect(output).toContain('caught up 2 missed days 2026-11-24…2026-11-25 for shop.orders (last complete 2026-11-23)');
    expect(await batchesOf(db)).toEqual([
      { batch_id: '2026-11-23', status: 'loaded' },
      { batch_id: '2026-11-24', status: 'loaded' },
      { batch_id: '2026-11-25', status: 'loaded' },
    ]);
    // One version of each order, each in the batch of its day: the later extracts have their lower bound back.
    expect(await rawOrders(db)).toEqual([
      { id: 0, batch: '2026-11-23' },
      { id: 1, batch: '2026-11-23' },
      { id: 2, batch: '2026-11-23' },
      { id: 3, batch: '2026-11-24' },
      { id: 4, batch: '2026-11-25' },
    ]);
    const results = await runResults(project);
    expect(results.days).toEqual({
      catch_up: true,
      processed: [
        { day: '2026-11-24', status: 'success' },
        { day: '2026-11-25', status: 'success' },
      ],
      gaps: [{ table: 'shop.orders', last_complete: '2026-11-23', missing_days: ['2026-11-24', '2026-11-25'] }],
    });
    // The models ran once, over the span of the days caught up.
    expect(results.metadata.invocation.interval).toEqual({ start: '2026-11-24T00:00:00.000Z', end: '2026-11-26T00:00:00.000Z' });
    const [built] = (await db.query<{ orders: string }>(`select orders from analytics.order_count`)).rows;
    expect(Number(built?.orders)).toBe(5);
  });

  it('leaves a table complete through yesterday as it is, and still builds the models', async () => {
    const before = (await db.query(`select batch_id, loaded_at from pgshift_meta.batches order by batch_id`)).rows;
    const run = await project.cli(NOW, 'run');
    expect(run.code, run.stderr).toBe(0);
    expect((await db.query(`select batch_id, loaded_at from pgshift_meta.batches order by batch_id`)).rows).toEqual(before);
    const results = await runResults(project);
    expect(results.days?.processed).toEqual([{ day: '2026-11-25', status: 'success' }]);
    expect(results.results.find((result) => result.unique_id === 'source.shop.orders')?.message).toBe('complete for these days already');
    expect(results.results.find((result) => result.unique_id.endsWith('order_count'))?.status).toBe('success');
  });
});
