// Several days in one command: the catch-up cap, --start/--end cut into days, a failed day
// stopping the rest unless --continue-after-failed-day, and extract/load catching up on their own.
// The orders of the project: 0 on 2026-11-20, 1 and 2 on 11-23, 3 on 11-24, 4 on 11-25, 5 on 11-27.

import type pg from 'pg';
import { afterEach, describe, expect, it } from 'vitest';
import path from 'node:path';
import { readRunResults } from '../../src/run/run-results.js';
import { type CatchUpProject, type CatchUpTarget, createCatchUpProject } from '../support/catch-up-project.js';
import { testPool } from '../support/test-pool.js';

const NOW = '2026-11-26T05:00:00Z';

describe('a command over several days', () => {
  let project: CatchUpProject | undefined;
  let db: pg.Pool | undefined;
  const open = async (name: string, yml?: string, sourceSql?: string, target: CatchUpTarget = 'dev') => {
    project = await createCatchUpProject(name, target, yml, sourceSql);
    db = testPool({ connectionString: project.warehouse.url, max: 2 });
    return { project, db };
  };
  const batchIds = async (pool: pg.Pool) =>
    (await pool.query<{ batch_id: string }>(`select batch_id from pgshift_meta.batches order by batch_id`)).rows.map((row) => row.batch_id);

  afterEach(async () => {
    await db?.end();
    await project?.close();
    db = undefined;
    project = undefined;
  });

  it('refuses a gap longer than catch_up_max_days before doing anything, and says what to do', async () => {
    const { project, db } = await open('days_cap', 'catch_up_max_days: 20\n');
    expect((await project.cli(NOW, 'run', '--date', '2026-11-23')).code).toBe(0);
    // 2026-12-20: yesterday is 12-19, 26 days after the last complete 11-23.
    const run = await project.cli('2026-12-20T05:00:00Z', 'run');
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(
      'shop.orders: last complete day 2026-11-23, 26 days missing up to 2026-12-19, more than catch_up_max_days (20); process them with --start 2026-11-24 --end 2026-12-20, or raise catch_up_max_days in pgshift.yml',
    );
    expect(await batchIds(db)).toEqual(['2026-11-23']);
  });

  it('makes one batch per day of --start/--end, stops a table at its first failed day, and goes on with --continue-after-failed-day', async () => {
    // On Redshift a text over 65535 bytes fails the extract of its day (value_policy fail): here 2026-11-21's.
    const { project, db } = await open('days_range', '', `insert into orders values (6, repeat('x', 70000), '2026-11-21 12:00:00+00');`, 'emulated');
    const args = ['run', '--start', '2026-11-20', '--end', '2026-11-23'];
    const results = async () => (await readRunResults(path.join(project.projectDir, 'target')))!;

    const stopped = await project.cli(NOW, ...args);
    expect(stopped.code).toBe(1);
    expect(stopped.stdout + stopped.stderr).toContain('shop.orders day 2/3: 2026-11-21');
    expect(stopped.stdout + stopped.stderr).toContain('shop.orders day 2026-11-21 failed; stopping before 1 later day(s)');
    expect(stopped.stdout + stopped.stderr).not.toContain('day 3/3');
    expect(await batchIds(db)).toEqual(['2026-11-20']);
    expect((await results()).days).toEqual({
      catch_up: false,
      processed: [
        { day: '2026-11-20', status: 'success' },
        { day: '2026-11-21', status: 'error' },
        { day: '2026-11-22', status: 'skipped' },
      ],
      gaps: [],
    });

    const continued = await project.cli(NOW, ...args, '--continue-after-failed-day');
    expect(continued.code).toBe(1);
    expect(continued.stdout + continued.stderr).toContain('shop.orders day 3/3: 2026-11-22');
    expect(continued.stdout + continued.stderr).toContain('shop.orders: 1 day(s) failed: 2026-11-21');
    expect(await batchIds(db)).toEqual(['2026-11-20', '2026-11-22']);
  });

  it('loads day by day, stopping at a day without a batch unless told to go on', async () => {
    const { project, db } = await open('days_load');
    for (const day of ['2026-11-20', '2026-11-22']) expect((await project.cli(NOW, 'extract', '--date', day)).code).toBe(0);
    const args = ['load', '--start', '2026-11-20', '--end', '2026-11-23'];
    const stopped = await project.cli(NOW, ...args);
    expect(stopped.code).toBe(1);
    expect(stopped.stdout + stopped.stderr).toContain('day 2026-11-21 failed; stopping before 1 later day(s)');
    expect(await batchIds(db)).toEqual(['2026-11-20']);
    const continued = await project.cli(NOW, ...args, '--continue-after-failed-day');
    expect(continued.code).toBe(1);
    expect(continued.stderr).toContain('1 day(s) failed: 2026-11-21');
    expect(await batchIds(db)).toEqual(['2026-11-20', '2026-11-22']);
  });

  it('lets extract and load catch up on their own; extract without a readable target takes yesterday and says so', async () => {
    const { project, db } = await open('days_stages');
    expect((await project.cli(NOW, 'run', '--date', '2026-11-23')).code).toBe(0);

    const blind = await project.cliWithEnv({ PGSHIFT_WAREHOUSE_URL: 'postgres://postgres@127.0.0.1:1/nowhere' }, NOW, 'extract');
    expect(blind.code, blind.stderr).toBe(0);
    expect(blind.stdout + blind.stderr).toContain('cannot read pgshift_meta.batches on the target');
    expect(blind.stdout + blind.stderr).toContain('extracting yesterday only');
    expect(blind.stdout + blind.stderr).not.toContain('day 1/2');

    const extract = await project.cli(NOW, 'extract');
    expect(extract.code, extract.stderr).toBe(0);
    expect(extract.stdout + extract.stderr).toContain('day 2/2: 2026-11-25');
    const load = await project.cli(NOW, 'load');
    expect(load.code, load.stderr).toBe(0);
    expect(await batchIds(db)).toEqual(['2026-11-23', '2026-11-24', '2026-11-25']);
    const raw = await db.query<{ id: number; batch: string }>(`select id, _pgshift_batch_id as batch from raw.orders order by id`);
    expect(raw.rows.map((row) => `${row.id}@${row.batch}`)).toEqual(['0@2026-11-23', '1@2026-11-23', '2@2026-11-23', '3@2026-11-24', '4@2026-11-25']);
  });
});
