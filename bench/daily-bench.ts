// `npm run bench -- daily [--orders=N]`: what a daily run costs against a full build. The
// repository's shop project, its data generated at N orders (5,000,000 by default) over 52 days;
// then `pgshift run --full-refresh` over the whole history (every stage: extract, load, models,
// tests, grants, report) against one incremental day in which 1% of the orders changed or
// arrived: 0.5% new orders on the day, 0.4% existing orders that moved on (shipped, cancelled,
// delivered) and 0.1% that committed late with a time on the day before. Target: the day's wall
// time at most 5% of the full build's. Each stage's figure is the sum of its nodes' own seconds
// (nodes run 4 at a time, so the sums can exceed the wall time).

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { dropDatabase, dropRolesWithPrefix, ensureDatabase, resolveLocalPostgres } from '../src/local/local-postgres.js';
import { createShopSchema, generateShopData, simulateShopDay } from '../src/local/shop-data.js';
import { measureCommand, round } from './support/measure.js';
import { startBenchS3 } from './support/s3-server.js';
import { copyShopProject, shopProjectEnv } from './support/shop-copy.js';

const PGSHIFT = path.resolve('bin', 'pgshift.js');
const HISTORY_START = '2026-10-01';
/** The generated history ends before this day; the incremental run is for this day. */
const DAY = '2026-11-22';
const ROLE_PREFIX = 'bench_daily_';
const TARGET_RATIO = 0.05;

/** Seconds by stage, from the run's JSON log. */
export interface StageSeconds {
  readonly wall: number;
  readonly extract: number;
  readonly load: number;
  readonly seeds: number;
  readonly models: number;
  readonly tests: number;
  readonly grants: number;
  readonly report: number;
  readonly cpu?: number;
  readonly peak_rss_mb?: number;
  /** The five costliest nodes: where the time goes. */
  readonly slowest: readonly { readonly node: string; readonly seconds: number }[];
}

export async function runDailyBench(log: (line: string) => void = console.log, orders = ordersFromArgs()): Promise<Record<string, unknown>> {
  const server = await resolveLocalPostgres({ dataDir: path.resolve('.pgshift', 'bench', 'postgres') });
  const s3 = await startBenchS3();
  const sourceName = `pgshift_bench_daily_source_${orders}`;
  const warehouseName = `pgshift_bench_daily_warehouse_${orders}`;
  const dir = await mkdtemp(path.join(tmpdir(), 'pgshift-bench-daily-'));
  try {
    const sourceUrl = await ensureDatabase(server.adminUrl, sourceName, { recreate: true });
    const warehouseUrl = await ensureDatabase(server.adminUrl, warehouseName, { recreate: true });
    log(`daily: generating the shop at ${orders.toLocaleString('en')} orders`);
    await withClient(sourceUrl, async (source) => {
      await createShopSchema(source);
      await generateShopData(source, { scale: orders, seed: 7, endDate: DAY, days: 52 });
    });
    await copyShopProject(dir, ROLE_PREFIX);
    const env = shopProjectEnv(sourceUrl, warehouseUrl, s3.endpoint);
    const run = async (...args: string[]): Promise<StageSeconds> => {
      const measured = await measureCommand(PGSHIFT, ['--project-dir', dir, '--log-format', 'json', 'run', ...args], env);
      return { ...stageSeconds(`${measured.stdout}\n${measured.stderr}`, measured.seconds), cpu: measured.cpuSeconds, peak_rss_mb: measured.peakRssMb };
    };
    log('daily: full build of the history (run --full-refresh)');
    const full = await run('--start', HISTORY_START, '--end', DAY, '--full-refresh');
    const day = await withClient(sourceUrl, (source) =>
      simulateShopDay(source, {
        seed: 7,
        date: DAY,
        newOrders: Math.round(orders * 0.005),
        updatedOrders: Math.round(orders * 0.004),
        lateOrders: Math.round(orders * 0.001),
      }),
    );
    log(`daily: one incremental day (${day.inserted} new, ${day.updated} changed, ${day.late} late orders)`);
    const incremental = await run('--date', DAY);
    const ratio = round(incremental.wall / full.wall, 3);
    log('');
    log('daily run                  wall s  extract    load   seeds  models   tests  grants  report');
    for (const [name, figures] of [
      ['full build', full],
      ['incremental day', incremental],
    ] as const) {
      log(
        `  ${name.padEnd(22)} ${[figures.wall, figures.extract, figures.load, figures.seeds, figures.models, figures.tests, figures.grants, figures.report]
          .map((value) => value.toFixed(1).padStart(7))
          .join(' ')}`,
      );
    }
    log(`  the day costs ${(ratio * 100).toFixed(1)}% of the full build (target ≤ ${TARGET_RATIO * 100}%)`);
    log(`  the day's costliest nodes: ${incremental.slowest.map((node) => `${node.node} ${node.seconds} s`).join(', ')}`);
    return {
      bench: 'daily',
      orders,
      day,
      full_build: full,
      incremental_day: incremental,
      ratio_day_vs_full: ratio,
      target_ratio: TARGET_RATIO,
      pass: ratio <= TARGET_RATIO,
    };
  } finally {
    await s3.close();
    await rm(dir, { recursive: true, force: true });
    await dropDatabase(server.adminUrl, sourceName);
    await dropDatabase(server.adminUrl, warehouseName);
    await dropRolesWithPrefix(server.adminUrl, ROLE_PREFIX);
  }
}

/** Sums each stage's seconds from a run's JSON log lines; grants and the report are the gaps before their lines. */
export function stageSeconds(jsonLog: string, wall: number): StageSeconds {
  const sums = { extract: 0, load: 0, seeds: 0, models: 0, tests: 0, grants: 0, report: 0 };
  const nodes: { node: string; seconds: number }[] = [];
  let previous: number | undefined;
  for (const line of jsonLog.split('\n')) {
    if (!line.startsWith('{')) continue;
    const event = JSON.parse(line) as { ts: string; msg: string; seconds?: number };
    const at = Date.parse(event.ts);
    const seconds = event.seconds ?? 0;
    const node = /^\d+ of \d+ \w+ (seed|model|test|source) (\S+)/.exec(event.msg);
    if (event.msg.startsWith('extracted ')) sums.extract += seconds;
    else if (event.msg.startsWith('loaded ')) sums.load += seconds;
    else if (event.msg.startsWith('grants reconciled') && previous !== undefined) sums.grants += (at - previous) / 1000;
    else if (event.msg.startsWith('report ') && previous !== undefined) sums.report += (at - previous) / 1000;
    else if (node) {
      const kind = node[1] === 'seed' ? 'seeds' : node[1] === 'model' ? 'models' : node[1] === 'test' ? 'tests' : undefined;
      if (kind) sums[kind] += seconds;
      nodes.push({ node: `${node[1]} ${node[2]}`, seconds });
    }
    previous = at;
  }
  const slowest = nodes.sort((a, b) => b.seconds - a.seconds).slice(0, 5);
  const rounded = Object.fromEntries(Object.entries(sums).map(([key, value]) => [key, round(value)])) as typeof sums;
  return { wall: round(wall), ...rounded, slowest };
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function ordersFromArgs(): number {
  const flag = process.argv.find((arg) => arg.startsWith('--orders='));
  const orders = flag ? Number(flag.slice('--orders='.length)) : 5_000_000;
  if (!Number.isInteger(orders) || orders < 1000) throw new Error(`--orders must be a whole number of at least 1000, got ${flag}`);
  return orders;
}
