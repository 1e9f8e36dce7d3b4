// `npm run bench -- publish [--scale=N,…]`: what write-audit-publish costs. The repository's shop
// project, its data generated at each scale (20,000 orders, the demo's, by default;
// `--scale=20000,1000000` adds 1M, about 50 minutes on 2 cores) and
// loaded once; then `pgshift build --full-refresh` (every model rebuilt, every test run) timed
// with `audit_before_publish: true` against `false` (dbt's order: build, publish, test), and one
// incremental `build` each way, all in the same run, alternating so both see the same machine.

import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { dropDatabase, dropRolesWithPrefix, ensureDatabase, resolveLocalPostgres } from '../src/local/local-postgres.js';
import { createShopSchema, generateShopData } from '../src/local/shop-data.js';
import { measureCommand, round } from './support/measure.js';
import { fmt } from './support/pgshift-extract.js';
import { startBenchS3 } from './support/s3-server.js';
import { copyShopProject, shopProjectEnv } from './support/shop-copy.js';

const PGSHIFT = path.resolve('bin', 'pgshift.js');
const HISTORY = ['--start', '2026-10-01', '--end', '2026-11-22'];
const ROLE_PREFIX = 'bench_wap_';
const RUNS = 3;

interface ScaleResult {
  readonly orders: number;
  readonly full_refresh: { readonly audit_s: number; readonly dbt_order_s: number; readonly ratio: number };
  readonly incremental: { readonly audit_s: number; readonly dbt_order_s: number; readonly ratio: number };
}

export async function runPublishBench(log: (line: string) => void = console.log, scales = scalesFromArgs()): Promise<Record<string, unknown>> {
  const server = await resolveLocalPostgres({ dataDir: path.resolve('.pgshift', 'bench', 'postgres') });
  const s3 = await startBenchS3();
  const results: ScaleResult[] = [];
  try {
    for (const orders of scales) results.push(await benchScale(orders, server.adminUrl, s3.endpoint, log));
  } finally {
    await s3.close();
    await dropRolesWithPrefix(server.adminUrl, ROLE_PREFIX);
  }
  log('');
  log('write, audit, publish           orders   audited s   dbt order s   ratio');
  for (const result of results) {
    log(
      `  build --full-refresh ${String(result.orders).padStart(12)} ${fmt(result.full_refresh.audit_s)} ${fmt(result.full_refresh.dbt_order_s)}    ${result.full_refresh.ratio.toFixed(2)}`,
    );
    log(
      `  build (incremental)  ${String(result.orders).padStart(12)} ${fmt(result.incremental.audit_s)} ${fmt(result.incremental.dbt_order_s)}    ${result.incremental.ratio.toFixed(2)}`,
    );
  }
  return { bench: 'publish', runs_per_figure: RUNS, scales: results };
}

async function benchScale(orders: number, adminUrl: string, s3Endpoint: string, log: (line: string) => void): Promise<ScaleResult> {
  const sourceUrl = await ensureDatabase(adminUrl, `pgshift_bench_wap_source_${orders}`, { recreate: true });
  const warehouseUrl = await ensureDatabase(adminUrl, `pgshift_bench_wap_warehouse_${orders}`, { recreate: true });
  const dir = await mkdtemp(path.join(tmpdir(), 'pgshift-bench-publish-'));
  try {
    const source = new pg.Client({ connectionString: sourceUrl });
    await source.connect();
    try {
      log(`publish: generating the shop at ${orders.toLocaleString('en')} orders`);
      await createShopSchema(source);
      await generateShopData(source, { scale: orders, seed: 7, endDate: '2026-11-22', days: 52 });
    } finally {
      await source.end();
    }
    await copyShopProject(dir, ROLE_PREFIX);
    const env = shopProjectEnv(sourceUrl, warehouseUrl, s3Endpoint);
    const pgshift = (...args: string[]) => measureCommand(PGSHIFT, ['--project-dir', dir, ...args], env);
    log('publish: extracting and loading the history once');
    await pgshift('run', ...HISTORY);
    const timed = async (audit: boolean, args: string[]) => {
      await setAudit(dir, audit);
      return (await pgshift('build', ...args)).seconds;
    };
    const measure = async (args: string[]) => {
      const audited: number[] = [];
      const dbtOrder: number[] = [];
      for (let run = 0; run < RUNS; run += 1) {
        audited.push(await timed(true, args));
        dbtOrder.push(await timed(false, args));
      }
      const audit_s = round(median(audited));
      const dbt_order_s = round(median(dbtOrder));
      return { audit_s, dbt_order_s, ratio: round(audit_s / dbt_order_s) };
    };
    log(`publish: timing build --full-refresh and build, ${RUNS} times each way`);
    return { orders, full_refresh: await measure(['--full-refresh']), incremental: await measure([]) };
  } finally {
    await rm(dir, { recursive: true, force: true });
    await dropDatabase(adminUrl, `pgshift_bench_wap_source_${orders}`);
    await dropDatabase(adminUrl, `pgshift_bench_wap_warehouse_${orders}`);
  }
}

async function setAudit(dir: string, audit: boolean): Promise<void> {
  const file = path.join(dir, 'pgshift.yml');
  const text = (await readFile(file, 'utf8')).replace(/^ {2}audit_before_publish: .*\n/m, '');
  await writeFile(file, text.replace(/^governance:\n/m, `governance:\n  audit_before_publish: ${audit}\n`));
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function scalesFromArgs(): number[] {
  const flag = process.argv.find((arg) => arg.startsWith('--scale='));
  return flag ? flag.slice('--scale='.length).split(',').map(Number) : [20_000];
}
