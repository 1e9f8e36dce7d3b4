// The two warehouses a CLI test runs a project on: PostgreSQL (target dev) and Redshift through
// the Data API emulator (target prod), each started on a test database, with the environment
// the CLI needs for it. PROJECT_TARGETS is the pgshift.yml `targets:` block that matches.

import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import { type RedshiftEmulator, startRedshiftEmulator } from './redshift-emulator/index.js';
import { runCli } from './run-cli.js';
import { createTestBucket, createTestDatabase, type TestDatabase, testS3Endpoint } from './test-env.js';
import { testPool } from './test-pool.js';

export interface CliWarehouse {
  readonly target: 'dev' | 'prod';
  start(db: TestDatabase): Promise<{ env: Record<string, string>; close(): Promise<void> }>;
}

/** `targets:` of a pgshift.yml for `name`, both in schema `analytics`. */
export function projectTargets(name: string): string {
  return `targets:
  dev: { type: postgres, schema: analytics, connection_env: PGSHIFT_WAREHOUSE_URL }
  prod: { type: redshift, schema: analytics, database: dev, workgroup_name: ${name}, iam_role: 'arn:aws:iam::123456789012:role/${name}' }
`;
}

export const CLI_WAREHOUSES: Record<string, CliWarehouse> = {
  PostgreSQL: {
    target: 'dev',
    async start(db) {
      return { env: { PGSHIFT_WAREHOUSE_URL: db.url, ...S3_ENV() }, close: async () => undefined };
    },
  },
  'Redshift (Data API emulator)': {
    target: 'prod',
    async start(db) {
      const emulator: RedshiftEmulator = await startRedshiftEmulator({ postgresUrl: db.url, s3Endpoint: testS3Endpoint() });
      return {
        env: {
          PGSHIFT_REDSHIFT_ENDPOINT: emulator.endpoint,
          PGSHIFT_REDSHIFT_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:cli-tests',
          PGSHIFT_PII_KEY: 'cli-warehouses-test-key',
          ...S3_ENV(),
        },
        close: () => emulator.close(),
      };
    },
  },
};

function S3_ENV(): Record<string, string> {
  return { PGSHIFT_S3_ENDPOINT: testS3Endpoint(), AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_REGION: 'us-east-1' };
}

/** A project folder, its database and bucket, on one of CLI_WAREHOUSES: what a CLI test runs. */
export interface CliProject {
  readonly dir: string;
  /** Reads and writes the warehouse's database directly, as the test's own observer. */
  readonly admin: pg.Pool;
  readonly env: Record<string, string>;
  /** pgshift in the project's folder (no --target added: the caller picks it). */
  cli(...args: string[]): ReturnType<typeof runCli>;
  close(): Promise<void>;
}

/**
 * Writes `files(bucket)` into a fresh folder, creates its database and bucket, lets `prepare`
 * fill the database as some earlier load would, then starts the warehouse over it.
 */
export async function openCliProject(
  warehouse: CliWarehouse,
  name: string,
  files: (bucket: string) => Record<string, string>,
  prepare: (admin: pg.Pool) => Promise<unknown> = async () => undefined,
): Promise<CliProject> {
  const db = await createTestDatabase(name.replaceAll('-', '_'));
  const bucket = await createTestBucket(name.replaceAll('_', '-'));
  const admin = testPool({ connectionString: db.url, max: 1 });
  const dir = await mkdtemp(path.join(tmpdir(), `pgshift-${name}-`));
  for (const [file, text] of Object.entries(files(bucket.bucket))) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), text);
  }
  await prepare(admin);
  const started = await warehouse.start(db);
  return {
    dir,
    admin,
    env: started.env,
    cli: (...args) => runCli(['--project-dir', dir, ...args], started.env),
    async close() {
      await started.close();
      await admin.end();
      await db.drop();
      await bucket.drop?.();
      await rm(dir, { recursive: true, force: true });
    },
  };
}
