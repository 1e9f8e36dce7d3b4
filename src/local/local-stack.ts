// The demo's whole local stack: a PostgreSQL server (existing or embedded) holding the source
// and warehouse databases, and a local S3 server holding the staging bucket.

import path from 'node:path';
import { ensureDatabase, resolveLocalPostgres, type LocalPostgres } from './local-postgres.js';
import { startLocalS3Server, type LocalS3Server } from './local-s3-server.js';

export interface LocalStack {
  readonly postgres: LocalPostgres;
  readonly s3: LocalS3Server;
  readonly sourceUrl: string;
  readonly warehouseUrl: string;
  close(): Promise<void>;
}

export interface LocalStackOptions {
  stateDir: string;
  bucket: string;
  sourceDatabase: string;
  warehouseDatabase: string;
  /** Start from empty databases. */
  recreate: boolean;
  log: (message: string) => void;
}

export async function startLocalStack(options: LocalStackOptions): Promise<LocalStack> {
  const postgres = await resolveLocalPostgres({ dataDir: path.join(options.stateDir, 'postgres'), log: options.log });
  const s3 = await startLocalS3Server({ directory: path.join(options.stateDir, 's3'), buckets: [options.bucket] });
  const sourceUrl = await ensureDatabase(postgres.adminUrl, options.sourceDatabase, { recreate: options.recreate });
  const warehouseUrl = await ensureDatabase(postgres.adminUrl, options.warehouseDatabase, { recreate: options.recreate });
  return {
    postgres,
    s3,
    sourceUrl,
    warehouseUrl,
    close: async () => {
      await s3.close();
      await postgres.close();
    },
  };
}
