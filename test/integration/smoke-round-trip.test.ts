import { RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedshiftTarget } from '../../src/config/target.js';
import { smokeRoundTrip, SMOKE_ROW_COUNT } from '../../src/diagnose/smoke-round-trip.js';
import { intervalFromFlags } from '../../src/extract/interval.js';
import { databaseUrl } from '../../src/local/local-postgres.js';
import { RedshiftDataWarehouse } from '../../src/warehouse/redshift-data-warehouse.js';
import type { Warehouse } from '../../src/warehouse/warehouse.js';
import { createLoadFixture, type LoadFixture } from '../support/load-fixture.js';
import { startRedshiftEmulator, type RedshiftEmulator } from '../support/redshift-emulator/index.js';
import { testS3Endpoint } from '../support/test-env.js';

describe('the smoke round trip of every type', () => {
  let fx: LoadFixture;
  let emulator: RedshiftEmulator;
  let sourceUrl: string;

  beforeAll(async () => {
    fx = await createLoadFixture('smoke');
    fx.useTables('      unused: { primary_key: id, mode: full }');
    const { rows } = await fx.source.query<{ db: string }>('select current_database() as db');
    sourceUrl = databaseUrl(fx.warehouseUrl, rows[0]!.db);
    emulator = await startRedshiftEmulator({ postgresUrl: fx.warehouseUrl, s3Endpoint: testS3Endpoint() });
  });
  afterAll(async () => {
    await emulator?.close();
    await fx?.close();
  });

  const redshift = (): Warehouse => {
    const target: RedshiftTarget = {
      name: 'prod',
      type: 'redshift',
      schema: 'analytics',
      database: 'dev',
      clusterIdentifier: 'emulated',
      dbUser: 'loader',
      region: 'us-east-1',
      endpoint: emulator.endpoint,
      iamRole: 'arn:aws:iam::123456789012:role/pgshift-loader',
      statementTimeoutMs: 60_000,
    };
    const client = new RedshiftDataClient({ endpoint: emulator.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    return new RedshiftDataWarehouse(target, client, { pollInitialMs: 10 });
  };

  it.each([
    ['PostgreSQL', 'smoke_pg', () => fx.warehouse],
    ['Redshift (emulated)', 'smoke_rs', redshift],
  ] as const)('brings every value back unchanged from %s, writing nothing to the source', async (_name, schema, open) => {
    const warehouse = open();
    const result = await smokeRoundTrip({
      sourceUrl,
      warehouse,
      s3: fx.bucket.client,
      staging: { ...fx.project.staging, prefix: `smoke/${schema}` },
      schema,
      sourceName: schema,
      interval: intervalFromFlags({ date: '2026-11-23' }),
    });
    expect(result).toEqual({ rows: SMOKE_ROW_COUNT, mismatches: [] });
    const { rows } = await fx.source.query("select count(*)::int as n from pg_class where relname = 'pgshift_smoke_types'");
    expect(rows[0]).toEqual({ n: 0 });
    if (warehouse !== fx.warehouse) await warehouse.close();
  });
});
