import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runChecks, type CheckResult } from '../../src/diagnose/checks.js';
import { smokeChecks } from '../../src/diagnose/smoke-checks.js';
import { SMOKE_ROW_COUNT } from '../../src/diagnose/smoke-round-trip.js';
import { intervalFromFlags } from '../../src/batch/interval.js';
import { databaseUrl } from '../../src/local/local-postgres.js';
import type { Warehouse } from '../../src/warehouse/warehouse.js';
import { createLoadFixture, type LoadFixture } from '../support/load-fixture.js';
import { startRedshiftEmulator, type RedshiftEmulator } from '../support/redshift-emulator/index.js';
import { listKeys } from '../support/s3-objects.js';
import { createTestDatabase, testS3Endpoint, type TestDatabase } from '../support/test-env.js';
import { testPool } from '../support/test-pool.js';
import { emulatedWarehouse } from '../support/emulated-redshift.js';

describe('pgshift smoke checks', () => {
  let fx: LoadFixture;
  let emulator: RedshiftEmulator;
  let sourceUrl: string;
  let redshiftDb: TestDatabase;

  beforeAll(async () => {
    fx = await createLoadFixture('smoke');
    fx.useTables('      unused: { primary_key: id, mode: full }');
    const { rows } = await fx.source.query<{ db: string }>('select current_database() as db');
    sourceUrl = databaseUrl(fx.warehouseUrl, rows[0]!.db);
    // A warehouse database of its own: the emulated Redshift user owns what it creates there.
    redshiftDb = await createTestDatabase('smoke_rs');
    emulator = await startRedshiftEmulator({ postgresUrl: redshiftDb.url, s3Endpoint: testS3Endpoint() });
  });
  afterAll(async () => {
    await emulator?.close();
    await redshiftDb?.drop();
    await fx?.close();
  });

  const redshift = (): Warehouse => emulatedWarehouse(emulator);

  it.each([
    ['PostgreSQL', () => fx.warehouse, () => fx.warehouseUrl],
    ['Redshift (emulated)', redshift, () => redshiftDb.url],
  ] as const)('passes every check on %s, writing nothing to the source and leaving nothing behind', async (_name, open, warehouseUrl) => {
    const warehouse = open();
    try {
      const smoke = smokeChecks({
        sourceUrl,
        warehouse,
        s3: fx.bucket.client,
        staging: fx.project.staging,
        interval: intervalFromFlags({ date: '2026-11-23' }),
      });
      let results: CheckResult[];
      try {
        results = await runChecks(smoke.checks, { timeoutMs: 60_000 });
      } finally {
        await smoke.cleanup();
      }
      expect(results.map(({ name, status, detail }) => ({ name, status, detail }))).toEqual([
        {
          name: 'every type, value by value',
          status: 'pass',
          detail: `${SMOKE_ROW_COUNT} rows of pgshift_smoke_types extracted, loaded and equal in every column`,
        },
        { name: 'full-table swap under a view', status: 'pass', detail: 'the table was replaced atomically and the view over it still reads every row' },
        {
          name: 'incremental merge',
          status: 'pass',
          detail: 'pgshift_smoke_incremental built, then merged incrementally: one row updated, one inserted, every key once',
        },
        {
          name: 'grant to a declared role',
          status: 'pass',
          detail: expect.stringMatching(/^pgshift_smoke_[0-9a-f]{8}_reader reads pgshift_smoke_[0-9a-f]{8}; a second reconcile changes nothing$/),
        },
      ]);
      const { rows: sourceLeft } = await fx.source.query("select count(*)::int as n from pg_class where relname like 'pgshift_smoke%'");
      expect(sourceLeft[0]).toEqual({ n: 0 });
      const inspect = testPool({ connectionString: warehouseUrl(), max: 1 });
      const { rows: warehouseLeft } = await inspect.query(
        `select (select count(*)::int from pg_namespace where nspname like 'pgshift_smoke%') as schemas,
                (select count(*)::int from pg_roles where rolname like 'pgshift_smoke%') as roles,
                (select count(*)::int from pgshift_meta.batches where source like 'pgshift_smoke%') as records`,
      );
      await inspect.end();
      expect(warehouseLeft[0]).toEqual({ schemas: 0, roles: 0, records: 0 });
      expect(await listKeys(fx.bucket.client, fx.bucket.bucket, '')).toEqual([]);
    } finally {
      if (warehouse !== fx.warehouse) await warehouse.close();
    }
  });
});
