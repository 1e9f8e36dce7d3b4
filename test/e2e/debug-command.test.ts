// `pgshift debug` against a reachable stack passes every check and exits 0; a broken piece
// fails its own check, says what to do, and exits 1.

import { rm } from 'node:fs/promises';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyProject } from '../support/project-copy.js';
import { startRedshiftEmulator, type RedshiftEmulator } from '../support/redshift-emulator/index.js';
import { runCli } from '../support/run-cli.js';
import { createTestBucket, createTestDatabase, testS3Endpoint, type TestBucket, type TestDatabase } from '../support/test-env.js';

describe('pgshift debug', () => {
  let source: TestDatabase;
  let warehouse: TestDatabase;
  let bucket: TestBucket;
  let emulator: RedshiftEmulator;
  let projectDir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    source = await createTestDatabase('debug_src');
    warehouse = await createTestDatabase('debug_wh');
    bucket = await createTestBucket('debug');
    projectDir = await copyProject('run-project', { 'bucket: placeholder': `bucket: ${bucket.bucket}` });
    const client = new pg.Client({ connectionString: source.url });
    await client.connect();
    await client.query('create table orders (id int primary key, status text, amount numeric(10,2), updated_at timestamptz not null)');
    await client.end();
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

  it.each(['dev', 'emulated'])('passes every check on target %s', async (target) => {
    const result = await runCli(['--project-dir', projectDir, '--target', target, 'debug'], env);
    expect(result.stdout, result.stdout + result.stderr).toMatch(/all \d+ checks passed/);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/PASS {2}source shop/);
    expect(result.stdout).toMatch(/PASS {2}warehouse/);
    if (target === 'emulated') expect(result.stdout).toMatch(/PASS {2}COPY through iam_role +loaded 2 row\(s\)/);
  });

  it('fails the COPY check without an iam_role and exits 1', async () => {
    const result = await runCli(['--project-dir', projectDir, '--target', 'emulated', 'debug'], { ...env, PGSHIFT_REDSHIFT_IAM_ROLE: '' });
    expect(result.stdout).toMatch(/FAIL {2}COPY through iam_role +the target has no iam_role/);
    expect(result.stdout).toMatch(/hint: the COPY role needs s3:GetObject/);
    expect(result.code).toBe(1);
  });
});
