// Starts the servers every integration test shares: one PostgreSQL (the machine's, or an
// embedded one) and one local S3 server. Each test file makes its own databases and buckets.

import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startLocalS3Server } from '../../src/local/local-s3-server.js';
import { resolveLocalPostgres } from '../../src/local/local-postgres.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
    s3Endpoint: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  // PGSHIFT_TEST_STATE_DIR lets a test run start a suite of its own beside it (the harness test)
  // without sharing the embedded server's data directory.
  const stateDir = path.resolve(process.env.PGSHIFT_TEST_STATE_DIR ?? path.join('.pgshift', 'test'));
  await mkdir(stateDir, { recursive: true });
  // A directory per run, so two test runs in one checkout never share (or wipe) buckets.
  const s3Dir = await mkdtemp(path.join(stateDir, 's3-'));
  const postgres = await resolveLocalPostgres({ dataDir: path.join(stateDir, 'postgres') });
  const s3 = await startLocalS3Server({ directory: s3Dir });
  project.provide('pgAdminUrl', postgres.adminUrl);
  project.provide('s3Endpoint', s3.endpoint);
  return async () => {
    await s3.close();
    await rm(s3Dir, { recursive: true, force: true });
    await postgres.close();
  };
}
