// `npm run demo`: the daily pipeline on one machine. Starts the local stack (an existing or
// embedded PostgreSQL, a local S3 server), generates the shop's data, runs day one (a backfill
// of its history), simulates day two (new, updated and late-arriving orders) and runs it
// incrementally — sources, seeds, models, tests, grants, report — then prints a summary.

import '../log/aws-sdk-notice.js';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runGraph, type GraphOptions, type RunProjectResult } from '../api/index.js';
import { loadProject } from '../config/load-project.js';
import { resolveTarget } from '../config/target.js';
import { getPostgresConn, getS3Conn } from '../connections.js';
import { scanForPii } from '../governance/index.js';
import { logger } from '../log/logger.js';
import { redact } from '../log/redact.js';
import { openWarehouse } from '../warehouse/open-warehouse.js';
import { startLocalStack } from './local-stack.js';
import { createShopSchema, generateShopData, simulateShopDay } from './shop-data.js';
import { deleteShopRows } from './shop-deletes.js';
import { quoteQualified } from '../sql/quote-ident.js';

const HISTORY_START = '2026-10-01';
const DAY_ONE = '2026-11-21';
const DAY_TWO = '2026-11-22';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      scale: { type: 'string', default: '20000' },
      seed: { type: 'string', default: '42' },
      'project-dir': { type: 'string', default: '.' },
    },
  });
  const scale = Number(values.scale);
  const seed = Number(values.seed);
  const started = Date.now();
  const projectDir = path.resolve(values['project-dir']!);
  const project = await loadProject(projectDir);
  const stack = await startLocalStack({
    stateDir: path.join(project.rootDir, '.pgshift'),
    bucket: project.staging.bucket,
    sourceDatabase: 'pgshift_demo_source',
    warehouseDatabase: 'pgshift_demo_warehouse',
    recreate: true,
    log: (message) => logger.info(message),
  });
  logger.info(`local stack up: PostgreSQL (${stack.postgres.kind}), S3 at ${stack.s3.endpoint}`);
  // The demo points pgshift at the local servers the way a user's environment would.
  process.env.PGSHIFT_SOURCE_URL = stack.sourceUrl;
  process.env.PGSHIFT_WAREHOUSE_URL = stack.warehouseUrl;
  process.env.PGSHIFT_S3_ENDPOINT = stack.s3.endpoint;

  const source = getPostgresConn({ connectionString: stack.sourceUrl, max: 2 });
  try {
    await createShopSchema(source);
    const generated = await generateShopData(source, { scale, seed, endDate: DAY_TWO, days: 52 });
    logger.info('generated shop data', generated);

    const run = (interval: Partial<GraphOptions>) => runGraph('run', { projectDir }, { select: [], exclude: [], ...interval });
    const dayOne = await run({ start: HISTORY_START, end: DAY_TWO });
    const day = await simulateShopDay(source, {
      seed,
      date: DAY_TWO,
      newOrders: Math.ceil(scale / 40),
      updatedOrders: Math.ceil(scale / 60),
      lateOrders: Math.ceil(scale / 400),
    });
    logger.info(`simulated ${DAY_TWO}: new, updated and late-arriving orders`, { ...day });
    // Deletes that only a key comparison finds: orders removed, a customer who closed the account.
    const deleted = await deleteShopRows(source, { seed, orders: Math.max(3, Math.ceil(scale / 4000)), customers: 1 });
    logger.info(`deleted on ${DAY_TWO}: orders and a customer, found by deletes: detect`, {
      orders: deleted.orders,
      sales: deleted.sales,
      customers: deleted.customers,
    });
    const dayTwo = await run({ date: DAY_TWO });
    process.stdout.write(await summary(project, stack.warehouseUrl, stack.s3.endpoint, dayOne, dayTwo, started));
    if (dayOne.tally.error + dayTwo.tally.error > 0) process.exitCode = 1;
  } finally {
    await source.end();
    await stack.close();
  }
}

async function summary(
  project: Awaited<ReturnType<typeof loadProject>>,
  warehouseUrl: string,
  s3Endpoint: string,
  dayOne: RunProjectResult,
  dayTwo: RunProjectResult,
  started: number,
): Promise<string> {
  const s3 = getS3Conn();
  const target = resolveTarget(project, 'dev');
  const warehouse = await openWarehouse(target, () => s3, 2);
  try {
    const lines: string[] = [];
    for (const table of project.tables) {
      const detects = table.deletes === 'detect';
      const [row] = await warehouse.query<{ rows: string; batches: string; tombstones: string }>(
        `select count(*) as rows, count(distinct _pgshift_batch_id) as batches, ${detects ? 'count(_pgshift_deleted_at)' : '0'} as tombstones from ${quoteQualified(project.rawSchema, table.name)}`,
      );
      const tombstones = detects ? `, ${row!.tombstones} tombstone(s)` : '';
      lines.push(`  ${`${project.rawSchema}.${table.name}`.padEnd(34)} ${String(row!.rows).padStart(9)} rows in ${row!.batches} batch(es)${tombstones}`);
    }
    const marts = await warehouse
      .query<{ relation: string; rows: string }>(
        `select 'analytics_marts.fct_orders' as relation, count(*) as rows from analytics_marts.fct_orders
       union all select 'analytics_reports.daily_sales', count(*) from analytics_reports.daily_sales`,
      )
      .catch(() => []);
    for (const mart of marts) lines.push(`  ${mart.relation.padEnd(34)} ${String(mart.rows).padStart(9)} rows`);
    const pii = await scanForPii(warehouse, { schema: `${target.schema}_marts`, name: 'dim_customers' }).catch(() => undefined);
    const leaks = pii?.reduce((sum, column) => sum + column.counts.email + column.counts.phone + column.counts.card_number, 0);
    const count = (result: RunProjectResult, type: string, statuses: string[]) =>
      result.results.filter((node) => node.uniqueId.startsWith(`${type}.`) && statuses.includes(node.status)).length;
    const describe = (label: string, result: RunProjectResult) =>
      `  ${label.padEnd(34)} models ${count(result, 'model', ['success'])} built, tests ${count(result, 'test', ['pass', 'warn'])} passed / ${count(result, 'test', ['fail', 'error'])} failed, PASS=${result.tally.pass} ERROR=${result.tally.error} SKIP=${result.tally.skip}`;
    return [
      '',
      'pgshift demo — summary',
      `  source      ${withoutPassword(warehouseUrl.replace('pgshift_demo_warehouse', 'pgshift_demo_source'))} (left for inspection)`,
      `  warehouse   ${withoutPassword(warehouseUrl)}`,
      `  staging     s3://${project.staging.bucket}/${project.staging.prefix}/ on ${s3Endpoint} (files under .pgshift/s3)`,
      describe(`day one ${DAY_ONE} (backfill)`, dayOne),
      describe(`day two ${DAY_TWO} (incremental)`, dayTwo),
      ...lines,
      `  PII found in analytics_marts.dim_customers: ${leaks ?? 'not scanned'}`,
      `  report      ${path.join(project.rootDir, 'target', 'reports', DAY_TWO, 'index.html')}`,
      `  took ${((Date.now() - started) / 1000).toFixed(1)} s`,
      '',
    ].join('\n');
  } finally {
    await warehouse.close();
    s3.destroy();
  }
}

function withoutPassword(url: string): string {
  const parsed = new URL(url);
  parsed.password = '';
  return parsed.toString();
}

main().catch((error: unknown) => {
  process.stderr.write(`error: ${redact(error instanceof Error ? error.message : String(error))}\n`);
  process.exitCode = 1;
});
