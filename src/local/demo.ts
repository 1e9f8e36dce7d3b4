// `npm run demo`: the daily pipeline on one machine. Starts the local stack, generates the
// shop's data, backfills its history up to day one, simulates day two (new, updated and
// late-arriving orders) and runs it incrementally, then prints what landed where.

import path from 'node:path';
import { parseArgs } from 'node:util';
import { loadProject } from '../config/load-project.js';
import { resolveTarget } from '../config/target.js';
import { getPostgresConn, getS3Conn } from '../connections.js';
import { intervalFromFlags, type Interval } from '../extract/interval.js';
import { logger } from '../log/logger.js';
import { runBounded } from '../run/bounded-parallel.js';
import { throwFirstFailure } from '../run/outcomes.js';
import { redact } from '../log/redact.js';
import { syncSources } from '../run/sync-sources.js';
import { openWarehouse } from '../warehouse/open-warehouse.js';
import { startLocalStack } from './local-stack.js';
import { createShopSchema, generateShopData, simulateShopDay } from './shop-data.js';

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
  const project = await loadProject(path.resolve(values['project-dir']!));
  const stack = await startLocalStack({
    stateDir: path.resolve(project.rootDir, '.pgshift'),
    bucket: project.staging.bucket,
    sourceDatabase: 'pgshift_demo_source',
    warehouseDatabase: 'pgshift_demo_warehouse',
    recreate: true,
    log: (message) => logger.info(message),
  });
  logger.info(`local stack up: PostgreSQL (${stack.postgres.kind}), S3 at ${stack.s3.endpoint}`);
  // The demo's own process points pgshift at the local servers, as a user's environment would.
  process.env.PGSHIFT_SOURCE_URL = stack.sourceUrl;
  process.env.PGSHIFT_WAREHOUSE_URL = stack.warehouseUrl;
  process.env.PGSHIFT_S3_ENDPOINT = stack.s3.endpoint;

  const source = getPostgresConn({ connectionString: stack.sourceUrl, max: project.threads + 1 });
  const s3 = getS3Conn();
  const warehouse = await openWarehouse(resolveTarget(project, 'dev'), () => s3, project.threads);
  try {
    await createShopSchema(source);
    const generated = await generateShopData(source, { scale, seed, endDate: DAY_TWO, days: 30 });
    logger.info('generated shop data', generated);

    const sync = async (interval: Interval, label: string) => {
      throwFirstFailure(await syncSources({ project, tables: project.tables, interval, sourcePoolFor: () => source, s3, warehouse, threads: project.threads, extract: true }));
      logger.info(`${label} done`);
    };
    // Day one: the first run backfills all history up to and including day one.
    await sync(intervalFromFlags({ start: '2026-10-01', end: DAY_TWO }), `day one (${DAY_ONE}, backfill)`);
    const day = await simulateShopDay(source, { seed, date: DAY_TWO, newOrders: Math.ceil(scale / 30), updatedOrders: Math.ceil(scale / 50), lateOrders: Math.ceil(scale / 500) });
    logger.info(`simulated ${DAY_TWO}`, { ...day });
    await sync(intervalFromFlags({ date: DAY_TWO }), `day two (${DAY_TWO}, incremental)`);

    const counts = await runBounded(project.tables, 4, async (table) => {
      const [row] = await warehouse.query<{ rows: string; batches: string }>(
        `select count(*) as rows, count(distinct _pgshift_batch_id) as batches from ${project.rawSchema}.${table.name}`,
      );
      return `${(project.rawSchema + '.' + table.name).padEnd(18)} ${String(row!.rows).padStart(9)} rows in ${row!.batches} batch(es)`;
    });
    process.stdout.write(
      [
        '',
        'pgshift demo — summary',
        `  source      ${redact(stack.sourceUrl)} (left for inspection)`,
        `  warehouse   ${redact(stack.warehouseUrl)}`,
        `  staging     s3://${project.staging.bucket}/${project.staging.prefix}/ on ${stack.s3.endpoint} (files under .pgshift/s3)`,
        ...counts.map((outcome) => `  ${outcome.ok ? outcome.value : 'failed'}`),
        `  took ${((Date.now() - started) / 1000).toFixed(1)} s`,
        '',
      ].join('\n'),
    );
  } finally {
    await warehouse.close();
    await source.end();
    s3.destroy();
    await stack.close();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
