// The servers a fault trial runs against: the local PostgreSQL and S3 server (the demo's local
// stack), one shop source shared by every trial, and per trial a warehouse database, a bucket
// and a copy of the shop project of its own, so trials never see each other's leftovers. On the
// Redshift warehouse the trial's database backs a strict Data API emulator of its own that runs
// every statement as a non-superuser identity; pgshift reaches it only through the Data API.

import { randomBytes } from 'node:crypto';
import { rm } from 'node:fs/promises';
import path from 'node:path';
import { CreateBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import pg from 'pg';
import { getS3Conn } from '../../src/connections.js';
import { dropDatabase, ensureDatabase } from '../../src/local/local-postgres.js';
import { startLocalStack, type LocalStack } from '../../src/local/local-stack.js';
import { createShopSchema, generateShopData, simulateShopDay } from '../../src/local/shop-data.js';
import { startRedshiftEmulator, type RedshiftEmulator } from '../../test/support/redshift-emulator/index.js';
import { copyShopProject, dropRoles } from '../../test/support/shop-project.js';

export const PII_KEY = 'faults-suite-key';
/**
 * Day one is a backfill of the last seven days, one batch per table and day; the first day reads
 * every row before its end (a table's first extract), so the whole history is loaded. Day two is
 * an incremental run over changed and late rows.
 */
export const DAY_ONE = ['--start', '2026-11-15', '--end', '2026-11-22'] as const;
export const DAY_TWO = ['--date', '2026-11-22'] as const;

export type Warehouse = 'postgres' | 'redshift';
export const WAREHOUSES: readonly Warehouse[] = ['postgres', 'redshift'];

export interface FaultStack {
  readonly stack: LocalStack;
  readonly sourceUrl: string;
  readonly s3: S3Client;
  readonly rolePrefix: string;
  trial(name: string, warehouse: Warehouse): Promise<TrialWorld>;
  close(): Promise<void>;
}

export interface TrialWorld {
  readonly name: string;
  readonly warehouse: Warehouse;
  /** The pgshift target of the shop project that loads this warehouse. */
  readonly target: 'dev' | 'prod';
  /** The database pgshift loads (on Redshift, the one behind the emulator). */
  readonly warehouseUrl: string;
  /** What pgshift needs besides the source and S3 to reach the warehouse. */
  readonly warehouseEnv: Record<string, string>;
  /** The Data API emulator serving the Redshift warehouse. */
  readonly emulator?: RedshiftEmulator;
  readonly bucket: string;
  readonly projectDir: string;
  readonly db: pg.Pool;
  drop(): Promise<void>;
}

export async function startFaultStack(options: { scale: number; log: (line: string) => void }): Promise<FaultStack> {
  const stateDir = path.resolve('.pgshift', 'faults');
  const stack = await startLocalStack({
    stateDir,
    bucket: 'pgshift-faults',
    sourceDatabase: 'pgshift_faults_source',
    warehouseDatabase: 'pgshift_faults_scratch',
    recreate: true,
    log: options.log,
  });
  const source = new pg.Pool({ connectionString: stack.sourceUrl, max: 2 });
  try {
    await createShopSchema(source);
    await generateShopData(source, { scale: options.scale, seed: 7, endDate: '2026-11-22' });
    await simulateShopDay(source, { seed: 7, date: '2026-11-22', newOrders: 60, updatedOrders: 40, lateOrders: 10 });
  } finally {
    await source.end();
  }
  const s3 = getS3Conn({ endpoint: stack.s3.endpoint });
  // One prefix for the whole suite (roles are cluster-wide), dropped at the end.
  const rolePrefix = `f${randomBytes(3).toString('hex')}_`;
  return {
    stack,
    sourceUrl: stack.sourceUrl,
    s3,
    rolePrefix,
    async trial(name, warehouse) {
      const id = `${warehouse === 'redshift' ? 'rs_' : ''}${name.replace(/[^a-z0-9]+/g, '_')}_${randomBytes(3).toString('hex')}`;
      const database = `pgshift_faults_${id}`;
      const bucket = `faults-${id.replaceAll('_', '-')}`;
      const warehouseUrl = await ensureDatabase(stack.postgres.adminUrl, database, { recreate: true });
      await s3.send(new CreateBucketCommand({ Bucket: bucket }));
      const projectDir = await copyShopProject(bucket, { rolePrefix });
      const db = new pg.Pool({ connectionString: warehouseUrl, max: 2 });
      // An idle client whose backend a fault (or the server) ended must not end the suite: the
      // pool drops it and the next query connects again.
      db.on('error', () => {});
      // The emulator reads COPY's files from S3 directly, as Redshift does, never through the
      // trial's faulty proxy, which stands for pgshift's own network.
      const emulator =
        warehouse === 'redshift' ? await startRedshiftEmulator({ postgresUrl: warehouseUrl, s3Endpoint: stack.s3.endpoint, nonSuperuser: true }) : undefined;
      const warehouseEnv: Record<string, string> = emulator
        ? {
            PGSHIFT_REDSHIFT_ENDPOINT: emulator.endpoint,
            PGSHIFT_REDSHIFT_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:pgshift-faults',
          }
        : { PGSHIFT_WAREHOUSE_URL: warehouseUrl };
      return {
        name,
        warehouse,
        target: emulator ? 'prod' : 'dev',
        warehouseUrl,
        warehouseEnv,
        emulator,
        bucket,
        projectDir,
        db,
        drop: async () => {
          await emulator?.close();
          await db.end();
          await dropDatabase(stack.postgres.adminUrl, database);
          await rm(projectDir, { recursive: true, force: true });
        },
      };
    },
    async close() {
      s3.destroy();
      await dropRoles(stack.postgres.adminUrl, rolePrefix);
      await stack.close();
      await rm(path.join(stateDir, 's3'), { recursive: true, force: true });
    },
  };
}
