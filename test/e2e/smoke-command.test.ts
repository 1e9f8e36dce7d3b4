// `pgshift smoke` runs its bounded end-to-end check against the local stack, on PostgreSQL and
// on the Redshift Data API emulator, exits 0 and leaves no scratch schema behind.

import { rm } from 'node:fs/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyProject } from '../support/project-copy.js';
import { startRedshiftEmulator, type RedshiftEmulator } from '../support/redshift-emulator/index.js';
import { runCli } from '../support/run-cli.js';
import { createTestBucket, createTestDatabase, testS3Endpoint, type TestBucket, type TestDatabase } from '../support/test-env.js';

describe('pgshift smoke', () => {
  let source: TestDatabase;
  let warehouse: TestDatabase;
  let bucket: TestBucket;
  let emulator: RedshiftEmulator;
  let projectDir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    source = await createTestDatabase('smoke_src');
    warehouse = await createTestDatabase('smoke_wh');
    bucket = await createTestBucket('smoke');
    projectDir = await copyProject('run-project', { 'bucket: placeholder': `bucket: ${bucket.bucket}` });
    emulator = await startRedshiftEmulator({ postgresUrl: warehouse.url, s3Endpoint: testS3Endpoint() });
    env = {
      PGSHIFT_SOURCE_URL: source.url,
      PGSHIFT_S3_ENDPOINT: testS3Endpoint(),
      PGSHIFT_WAREHOUSE_URL: warehouse.url,
      PGSHIFT_REDSHIFT_ENDPOINT: emulator.endpoint,
      PGSHIFT_REDSHIFT_IAM_ROLE: 'arn:aws:iam::123456789012:role/pgshift-loader',
      AWS_ACCESS_KEY_ID: 'S3RVER',
      AWS_SECRET_ACCESS_KEY: 'S3RVER',
      AWS_REGION: 'us-east-1',
    };
  });

  afterAll(async () => {
    await emulator?.close();
    await source?.drop();
    await warehouse?.drop();
    await bucket?.drop();
    await rm(projectDir, { recursive: true, force: true });
  });

  it.each(['dev', 'emulated'])('passes on target %s and drops its scratch schemas', async (target) => {
    const result = await runCli(['--project-dir', projectDir, '--target', target, 'smoke'], env);
    for (const name of ['source scratch table', 'extract', 'load', 'values, one by one', 'grant to a scratch role']) {
      expect(result.stdout, result.stdout + result.stderr).toMatch(new RegExp(`PASS {2}${name}`));
    }
    // The emulator as of this commit binds every view to its table (WITH NO SCHEMA BINDING is
    // stripped), so the swap under a view fails there as it would under a schema-bound view;
    // the strict emulator's late-binding views make it pass like Redshift.
    const viewPassed = /PASS {2}full reload under a view/.test(result.stdout);
    if (target === 'dev' || viewPassed) {
      expect(result.stdout).toMatch(/smoke passed \(6 checks\)/);
      expect(result.code).toBe(0);
    } else {
      expect(result.stdout).toMatch(/FAIL {2}full reload under a view .*other objects depend on it/);
      expect(result.code).toBe(1);
    }
    for (const url of [source.url, warehouse.url]) {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      const { rows } = await client.query(`select nspname from pg_namespace where nspname like 'pgshift_smoke_%'`);
      await client.end();
      expect(rows).toEqual([]);
    }
  });
});
