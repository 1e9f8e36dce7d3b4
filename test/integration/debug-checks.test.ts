import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RedshiftTarget, Target } from '../../src/config/target.js';
import { getPostgresConn, getS3Conn } from '../../src/connections.js';
import { runChecks, type CheckResult } from '../../src/diagnose/checks.js';
import { debugChecks, type DebugContext } from '../../src/diagnose/debug-checks.js';
import { ConfigError } from '../../src/errors.js';
import { databaseUrl } from '../../src/local/local-postgres.js';
import { PostgresWarehouse } from '../../src/warehouse/postgres-warehouse.js';
import { RedshiftDataWarehouse } from '../../src/warehouse/redshift-data-warehouse.js';
import { emulatedDataClient, emulatedTarget } from '../support/emulated-redshift.js';
import { createLoadFixture, type LoadFixture } from '../support/load-fixture.js';
import { startRedshiftEmulator, type RedshiftEmulator } from '../support/redshift-emulator/index.js';
import { listKeys } from '../support/s3-objects.js';
import { testS3Endpoint } from '../support/test-env.js';

describe('pgshift debug checks', () => {
  let fx: LoadFixture;
  let emulator: RedshiftEmulator;
  let sourceUrl: string;
  let warehouseUrl: string;

  beforeAll(async () => {
    fx = await createLoadFixture('debug');
    fx.useTables('      orders: { primary_key: id, mode: full }');
    const [{ db: source }] = (await fx.source.query<{ db: string }>('select current_database() as db')).rows as [{ db: string }];
    sourceUrl = databaseUrl(fx.warehouseUrl, source);
    warehouseUrl = fx.warehouseUrl;
    emulator = await startRedshiftEmulator({ postgresUrl: fx.warehouseUrl, s3Endpoint: testS3Endpoint() });
  });
  afterAll(async () => {
    await emulator?.close();
    await fx?.close();
  });

  const postgresTarget = (url = warehouseUrl): Target => ({ name: 'dev', type: 'postgres', schema: 'analytics', connectionString: url });
  const redshiftTarget = (overrides: Partial<RedshiftTarget> = {}): RedshiftTarget => emulatedTarget(emulator, overrides);

  function context(target: () => Target, sources: Record<string, string | undefined> = { PGSHIFT_SOURCE_URL: sourceUrl }): DebugContext {
    return {
      project: fx.project,
      resolveTarget: target,
      s3: () => fx.bucket.client,
      sourceUrl: (name) => sources[name],
      openWarehouse: async (resolved) =>
        resolved.type === 'postgres'
          ? new PostgresWarehouse(getPostgresConn({ connectionString: resolved.connectionString }), () => fx.bucket.client)
          : new RedshiftDataWarehouse(resolved, emulatedDataClient(emulator), { pollInitialMs: 10 }),
    };
  }

  async function debug(ctx: DebugContext): Promise<Record<string, CheckResult>> {
    const { checks, close } = debugChecks(ctx);
    try {
      return Object.fromEntries((await runChecks(checks, { timeoutMs: 30_000 })).map((result) => [result.name, result]));
    } finally {
      await close();
    }
  }

  it('passes every check for a reachable PostgreSQL warehouse, skipping the Redshift-only ones', async () => {
    const results = await debug(context(() => postgresTarget()));
    expect(Object.fromEntries(Object.entries(results).map(([name, result]) => [name, result.status]))).toEqual({
      configuration: 'pass',
      target: 'pass',
      'source shop': 'pass',
      'staging bucket': 'pass',
      'warehouse connection': 'pass',
      'warehouse privileges': 'pass',
      'COPY from staging': 'skip',
      region: 'skip',
    });
    expect(results['source shop']?.detail).toMatch(/^PostgreSQL \d+/);
    expect(await listKeys(fx.bucket.client, fx.bucket.bucket, '')).toEqual([]);
  });

  it('proves the warehouse can COPY from the staging bucket through its IAM role, and leaves nothing behind', async () => {
    const results = await debug(context(() => redshiftTarget()));
    expect(results['COPY from staging']).toMatchObject({ status: 'pass', detail: expect.stringContaining('arn:aws:iam::123456789012:role/pgshift-loader') });
    expect(results['warehouse connection']?.status).toBe('pass');
    expect(emulator.statements().some((statement) => /^copy "pgshift_debug_[0-9a-f]+"/.test(statement.sql))).toBe(true);
    expect(await listKeys(fx.bucket.client, fx.bucket.bucket, '')).toEqual([]);
  });

  it('compares the bucket’s region with the warehouse’s, which COPY needs told when they differ', async () => {
    expect((await debug(context(() => redshiftTarget()))).region).toMatchObject({ status: 'pass', detail: 'bucket and warehouse are both in us-east-1' });
    expect((await debug(context(() => redshiftTarget({ region: 'eu-west-1' })))).region).toMatchObject({
      status: 'fail',
      detail: expect.stringContaining('is in us-east-1 but the warehouse is in eu-west-1; set copy_region: us-east-1 on target prod'),
    });
    expect((await debug(context(() => redshiftTarget({ region: 'eu-west-1', copyRegion: 'us-east-1' })))).region?.status).toBe('pass');
    expect((await debug(context(() => redshiftTarget({ copyRegion: 'eu-central-1' })))).region?.status).toBe('fail');
  });

  it('fails the COPY check with the fix when no IAM role is configured', async () => {
    const results = await debug(context(() => redshiftTarget({ iamRole: undefined })));
    expect(results['COPY from staging']).toMatchObject({ status: 'fail', detail: expect.stringContaining('set iam_role (or PGSHIFT_REDSHIFT_IAM_ROLE)') });
  });

  it('names an unset source variable and an unresolvable target, and skips what depends on the target', async () => {
    const results = await debug(
      context(() => {
        throw new ConfigError('target prod: environment variable PGSHIFT_WAREHOUSE_URL is not set');
      }, {}),
    );
    expect(results['source shop']).toMatchObject({ status: 'fail', detail: expect.stringContaining('PGSHIFT_SOURCE_URL is not set') });
    expect(results.target).toMatchObject({ status: 'fail', detail: 'target prod: environment variable PGSHIFT_WAREHOUSE_URL is not set' });
    expect(results['warehouse connection']?.status).toBe('skip');
    expect(results['staging bucket']?.status).toBe('pass');
  });

  it('fails the source check when the database refuses the connection', async () => {
    const results = await debug(context(() => postgresTarget(), { PGSHIFT_SOURCE_URL: databaseUrl(sourceUrl, 'pgshift_no_such_database') }));
    expect(results['source shop']).toMatchObject({ status: 'fail', detail: expect.stringContaining('pgshift_no_such_database') });
  });

  it('fails the bucket check for a bucket that does not exist', async () => {
    const ctx = context(() => postgresTarget());
    const missing = {
      ...ctx,
      project: { ...fx.project, staging: { ...fx.project.staging, bucket: 'pgshift-no-such-bucket' } },
      s3: () => getS3Conn({ endpoint: testS3Endpoint() }),
    };
    const results = await debug(missing);
    expect(results['staging bucket']?.status).toBe('fail');
  });

  it('lists the privileges a warehouse user lacks', async () => {
    const role = `pgshift_debug_${Date.now().toString(36)}`;
    await fx.warehouseDb.query(`create role ${role} login password 'debug-check'; revoke create on database ${await currentDatabase()} from public`);
    try {
      const url = new URL(warehouseUrl);
      url.username = role;
      url.password = 'debug-check';
      const results = await debug(context(() => postgresTarget(url.toString())));
      expect(results['warehouse privileges']).toMatchObject({ status: 'fail', detail: expect.stringContaining('create on database (to create schema raw)') });
    } finally {
      await fx.warehouseDb.query(`drop role ${role}`);
    }
  });

  async function currentDatabase(): Promise<string> {
    const { rows } = await fx.warehouseDb.query<{ db: string }>('select current_database() as db');
    return rows[0]!.db;
  }
});
