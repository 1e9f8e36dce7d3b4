// The smallest project the CLI tests run: one source table `orders` (500 rows on 2026-11-23,
// cursor indexed), a PostgreSQL warehouse, a bucket, and pgshift.yml in a temporary folder.

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { queryDatabase } from './query-database.js';
import { createTestBucket, createTestDatabase, testS3Endpoint, type TestBucket, type TestDatabase } from './test-env.js';

export interface OrdersCliProject {
  readonly source: TestDatabase;
  readonly warehouse: TestDatabase;
  readonly bucket: TestBucket;
  readonly projectDir: string;
  /** The environment a CLI call passes: source, warehouse, S3 endpoint, project folder. */
  readonly env: Record<string, string>;
  close(): Promise<void>;
}

export async function createOrdersCliProject(name: string): Promise<OrdersCliProject> {
  const source = await createTestDatabase(`${name}_src`);
  const warehouse = await createTestDatabase(`${name}_wh`);
  const bucket = await createTestBucket(name.replaceAll('_', '-'));
  await queryDatabase(
    source.url,
    `create table orders (id int primary key, status text, updated_at timestamptz not null);
    create index on orders (updated_at);
    insert into orders select g, 'new', '2026-11-23 00:00:00+00'::timestamptz + g * interval '1 minute' from generate_series(1, 500) g;`,
  );
  const projectDir = await mkdtemp(path.join(tmpdir(), `pgshift-${name}-`));
  await writeFile(
    path.join(projectDir, 'pgshift.yml'),
    `name: ${name}_test
staging: { bucket: ${bucket.bucket} }
targets: { dev: { type: postgres } }
sources:
  shop:
    tables:
      orders: { primary_key: id, cursor: updated_at }
`,
  );
  return {
    source,
    warehouse,
    bucket,
    projectDir,
    env: { PGSHIFT_SOURCE_URL: source.url, PGSHIFT_WAREHOUSE_URL: warehouse.url, PGSHIFT_S3_ENDPOINT: testS3Endpoint(), PGSHIFT_PROJECT_DIR: projectDir },
    close: async () => {
      await source.drop();
      await warehouse.drop();
      await bucket.drop();
      await rm(projectDir, { recursive: true, force: true });
    },
  };
}
