// Cancelling a PostgreSQL warehouse statement must not need a second connection from the pool:
// with every pooled connection busy, an abort still stops the statement on the server.

import { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getPostgresConn } from '../../src/connections.js';
import { CancelledError } from '../../src/errors.js';
import { PostgresWarehouse } from '../../src/warehouse/postgres-warehouse.js';
import { sleepingBackends } from '../support/backends.js';
import { createTestDatabase, type TestDatabase } from '../support/test-env.js';

describe('cancelling a PostgreSQL warehouse statement', () => {
  let database: TestDatabase;

  beforeAll(async () => {
    database = await createTestDatabase('wh_cancel');
  });

  afterAll(async () => {
    await database.drop();
  });

  it('stops the statement on the server with a cancel request while the pool has no free connection', async () => {
    const pool = getPostgresConn({ connectionString: database.url, max: 1, connection: { label: 'warehouse target dev', env: 'PGSHIFT_WAREHOUSE_URL' } });
    const warehouse = new PostgresWarehouse(pool, () => new S3Client({}), 'warehouse target dev');
    const controller = new AbortController();
    const sleeping = warehouse.execute('select pg_sleep(600)', [], { signal: controller.signal });
    const outcome = sleeping.then(
      () => 'finished',
      (error: unknown) => error,
    );
    while ((await sleepingBackends(database.url)) === 0) await new Promise((resolve) => setImmediate(resolve));
    controller.abort();
    expect(await outcome).toBeInstanceOf(CancelledError);
    expect(await sleepingBackends(database.url)).toBe(0);
    await warehouse.close();
  });
});
