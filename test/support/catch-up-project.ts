// A project whose source has one order a day at noon on 2026-11-23…25, one older order
// (2026-11-20) and one not yet due (2026-11-27), with a model built every day: enough to see
// which days a run processes, on a PostgreSQL target (`dev`) or the Redshift Data API
// emulator (`emulated`).

import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startRedshiftEmulator, type RedshiftEmulator } from './redshift-emulator/index.js';
import { runCli, type CliResult } from './run-cli.js';
import { queryDatabase } from './query-database.js';
import { createTestBucket, createTestDatabase, testS3Endpoint, type TestBucket, type TestDatabase } from './test-env.js';

export type CatchUpTarget = 'dev' | 'emulated';

export interface CatchUpProject {
  readonly warehouse: TestDatabase;
  readonly projectDir: string;
  /** `pgshift <args>` on the project's target, with "now" pinned to `now` (PGSHIFT_NOW). */
  cli(now: string, ...args: string[]): Promise<CliResult>;
  /** The same with some environment variables changed. */
  cliWithEnv(changed: Record<string, string>, now: string, ...args: string[]): Promise<CliResult>;
  close(): Promise<void>;
}

export const ORDER_DAYS = { 0: '2026-11-20', 1: '2026-11-23', 2: '2026-11-23', 3: '2026-11-24', 4: '2026-11-25', 5: '2026-11-27' } as const;

export async function createCatchUpProject(name: string, target: CatchUpTarget, yml = '', moreSourceSql = ''): Promise<CatchUpProject> {
  const source = await createTestDatabase(`${name}_src`);
  const warehouse = await createTestDatabase(`${name}_wh`);
  const bucket: TestBucket = await createTestBucket(name.replaceAll('_', '-'));
  const rows = Object.entries(ORDER_DAYS).map(([id, day]) => `(${id}, 'new', '${day} 12:00:00+00')`);
  await queryDatabase(
    source.url,
    `create table orders (id int primary key, status text, updated_at timestamptz not null);
    create index on orders (updated_at);
    insert into orders values ${rows.join(', ')}; ${moreSourceSql}`,
  );
  const projectDir = await mkdtemp(path.join(tmpdir(), `pgshift-${name}-`));
  await writeFile(
    path.join(projectDir, 'pgshift.yml'),
    `name: ${name}_test
staging: { bucket: ${bucket.bucket} }
targets:
  dev: { type: postgres, schema: analytics }
  emulated: { type: redshift, schema: analytics, database: dev, cluster_identifier: emulated, db_user: loader }
sources:
  shop:
    tables:
      orders: { primary_key: id, cursor: updated_at, lookback: 1h }
${yml}`,
  );
  await mkdir(path.join(projectDir, 'models'));
  await writeFile(path.join(projectDir, 'models', 'sources.yml'), 'version: 2\nsources:\n  - name: shop\n    tables:\n      - name: orders\n');
  await writeFile(
    path.join(projectDir, 'models', 'order_count.sql'),
    `{{ config(materialized='table') }}\nselect count(*) as orders from {{ source('shop', 'orders') }}\n`,
  );
  let emulator: RedshiftEmulator | undefined;
  let env: Record<string, string> = { PGSHIFT_SOURCE_URL: source.url, PGSHIFT_S3_ENDPOINT: testS3Endpoint(), PGSHIFT_WAREHOUSE_URL: warehouse.url };
  if (target === 'emulated') {
    emulator = await startRedshiftEmulator({ postgresUrl: warehouse.url, s3Endpoint: testS3Endpoint() });
    env = {
      ...env,
      PGSHIFT_REDSHIFT_ENDPOINT: emulator.endpoint,
      PGSHIFT_REDSHIFT_IAM_ROLE: 'arn:aws:iam::123456789012:role/pgshift-loader',
      // The local S3 server's own key pair; the Data API emulator accepts any.
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
      AWS_REGION: 'us-east-1',
    };
  }
  return {
    warehouse,
    projectDir,
    cli: (now, ...args) => runCli(['--project-dir', projectDir, '--target', target, ...args], { ...env, PGSHIFT_NOW: now }),
    cliWithEnv: (changed, now, ...args) => runCli(['--project-dir', projectDir, '--target', target, ...args], { ...env, ...changed, PGSHIFT_NOW: now }),
    close: async () => {
      await emulator?.close();
      await source.drop();
      await warehouse.drop();
      await bucket.drop();
      await rm(projectDir, { recursive: true, force: true });
    },
  };
}
