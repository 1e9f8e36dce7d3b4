// An incremental day tests what changed: after an audited merge, a row-wise test (not_null,
// accepted_values; unique on the merge key) that passed on the increment and had passed, as
// compiled now, on the whole table is not run over the whole table again. A changed test, a
// test of another relation (relationships) and any table changed without an audit are tested
// whole. Through the real CLI, on PostgreSQL and on Redshift (Data API emulator).

import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CARRIED_OVER } from '../../src/run/executors/model-executor.js';
import { readRunResults } from '../../src/run/run-results.js';
import { type RedshiftEmulator, startRedshiftEmulator } from '../support/redshift-emulator/index.js';
import { runCli } from '../support/run-cli.js';
import { createTestBucket, createTestDatabase, type TestBucket, type TestDatabase, testS3Endpoint } from '../support/test-env.js';
import { testPool } from '../support/test-pool.js';

const CLI_TIMEOUT = 120_000;
const ALL_RECORDED = ['accepted_values_events_status__a__b', 'not_null_events_id', 'unique_events_id'];

const schemaYml = (statuses: string[]) => `version: 2
models:
  - name: events
    columns:
      - name: id
        data_tests: [unique, not_null]
      - name: status
        data_tests:
          - accepted_values: { values: [${statuses.join(', ')}] }
      - name: kind_id
        data_tests:
          - relationships: { to: ref('kinds'), field: id }
`;

const MODELS: Record<string, string> = {
  'models/events.sql': `{{ config(materialized='incremental', unique_key='id') }}
select id, status, kind_id from {{ ref('event_rows') }}
{% if is_incremental() %} where id > (select max(id) from {{ this }}) {% endif %}`,
  'seeds/kinds.csv': 'id\n1\n2\n',
};

const projectYaml = (bucket: string, auditBeforePublish: boolean) => `name: checks
staging: { bucket: ${bucket} }
targets:
  dev: { type: postgres, schema: analytics, connection_env: PGSHIFT_WAREHOUSE_URL }
  prod: { type: redshift, schema: analytics, database: dev, workgroup_name: checks, iam_role: 'arn:aws:iam::123456789012:role/checks' }
governance:
  audit_before_publish: ${auditBeforePublish}
`;

const WAREHOUSES = {
  PostgreSQL: { target: 'dev', emulated: false },
  'Redshift (Data API emulator)': { target: 'prod', emulated: true },
} as const;

describe.each(Object.entries(WAREHOUSES))('whole-table checks of an incremental model on %s', (_name, kind) => {
  let db: TestDatabase;
  let bucket: TestBucket;
  let admin: pg.Pool;
  let emulator: RedshiftEmulator | undefined;
  let dir: string;
  let env: Record<string, string>;

  const cli = (...args: string[]) => runCli(['--project-dir', dir, '--target', kind.target, ...args], env);
  /** status and message of each test, by its name's start. */
  const testResults = async () => {
    const file = (await readRunResults(path.join(dir, 'target')))!;
    const byTest = (prefix: string) => {
      const found = file.results.find((result) => result.unique_id.startsWith(`test.checks.${prefix}`));
      return found && { status: found.status, carried: found.message === CARRIED_OVER };
    };
    return {
      unique: byTest('unique_events_id'),
      notNull: byTest('not_null_events_id'),
      accepted: byTest('accepted_values_events_status'),
      relationships: byTest('relationships_events_kind_id'),
    };
  };
  const writeRows = (csv: string) => writeFile(path.join(dir, 'seeds', 'event_rows.csv'), `id,status,kind_id\n${csv}`);
  const recorded = async () =>
    (await admin.query<{ test_id: string }>(`select test_id from pgshift_meta.whole_table_checks where relation_name = 'events' order by test_id`)).rows.map(
      (row) => row.test_id.split('.')[2]!,
    );

  beforeAll(async () => {
    db = await createTestDatabase('checks');
    bucket = await createTestBucket('checks');
    admin = testPool({ connectionString: db.url, max: 2 });
    dir = await mkdtemp(path.join(tmpdir(), 'pgshift-checks-'));
    for (const [file, text] of Object.entries(MODELS)) {
      await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
      await writeFile(path.join(dir, file), text);
    }
    await writeFile(path.join(dir, 'models', 'schema.yml'), schemaYml(['a', 'b']));
    await writeFile(path.join(dir, 'pgshift.yml'), projectYaml(bucket.bucket, true));
    await writeRows('1,a,1\n2,a,2\n');
    const base = { PGSHIFT_S3_ENDPOINT: testS3Endpoint(), AWS_ACCESS_KEY_ID: 'S3RVER', AWS_SECRET_ACCESS_KEY: 'S3RVER', AWS_REGION: 'us-east-1' };
    if (kind.emulated) {
      emulator = await startRedshiftEmulator({ postgresUrl: db.url, s3Endpoint: testS3Endpoint() });
      env = {
        ...base,
        PGSHIFT_REDSHIFT_ENDPOINT: emulator.endpoint,
        PGSHIFT_REDSHIFT_SECRET_ARN: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:checks',
        PGSHIFT_PII_KEY: 'whole-table-checks-test-key',
      };
    } else env = { ...base, PGSHIFT_WAREHOUSE_URL: db.url };
  });

  afterAll(async () => {
    await emulator?.close();
    await admin?.end();
    await db?.drop();
    await bucket?.drop?.();
    await rm(dir, { recursive: true, force: true });
  });

  it(
    'records the row-wise tests a new table passed, then settles them on an increment that passes: only relationships reads the whole table',
    async () => {
      const first = await cli('build');
      expect(first.code, first.stderr).toBe(0);
      expect(await recorded()).toEqual(ALL_RECORDED);

      await writeRows('1,a,1\n2,a,2\n3,b,1\n');
      const day = await cli('build');
      expect(day.code, day.stderr).toBe(0);
      expect(day.stdout + day.stderr).toContain(`OK test not_null_events_id (${CARRIED_OVER})`);
      expect(await testResults()).toEqual({
        unique: { status: 'pass', carried: true },
        notNull: { status: 'pass', carried: true },
        accepted: { status: 'pass', carried: true },
        // It reads kinds too, which may have changed: never carried over.
        relationships: { status: 'pass', carried: false },
      });
    },
    CLI_TIMEOUT,
  );

  it(
    'tests the whole table again when a test changed: the old rows fail a narrower accepted_values though the increment passes',
    async () => {
      await writeFile(path.join(dir, 'models', 'schema.yml'), schemaYml(['a']));
      await writeRows('1,a,1\n2,a,2\n3,b,1\n4,a,1\n');
      const day = await cli('build');
      await writeFile(path.join(dir, 'models', 'schema.yml'), schemaYml(['a', 'b']));
      expect(day.code).toBe(1);
      const results = await testResults();
      expect(results.accepted).toEqual({ status: 'fail', carried: false });
      expect(results.notNull).toEqual({ status: 'pass', carried: true });
      // The narrower test has a name of its own; the wider one did not check this increment.
      expect(await recorded()).toEqual(['not_null_events_id', 'unique_events_id']);
    },
    CLI_TIMEOUT,
  );

  it(
    'forgets the records when the table changes without an audit, so the next audited day tests the whole table',
    async () => {
      // Merged without an audit and without its tests: nothing is known of the new rows.
      await writeFile(path.join(dir, 'pgshift.yml'), projectYaml(bucket.bucket, false));
      await writeRows('1,a,1\n2,a,2\n3,b,1\n4,a,1\n5,a,1\n');
      const unaudited = await cli('build', '--exclude', 'resource_type:test');
      expect(unaudited.code, unaudited.stderr).toBe(0);
      expect(await recorded()).toEqual([]);

      await writeFile(path.join(dir, 'pgshift.yml'), projectYaml(bucket.bucket, true));
      await writeRows('1,a,1\n2,a,2\n3,b,1\n4,a,1\n5,a,1\n6,a,2\n');
      const day = await cli('build');
      expect(day.code, day.stderr).toBe(0);
      const results = await testResults();
      expect([results.unique, results.notNull, results.accepted]).toEqual([
        { status: 'pass', carried: false },
        { status: 'pass', carried: false },
        { status: 'pass', carried: false },
      ]);
      expect(await recorded()).toEqual(ALL_RECORDED);
    },
    CLI_TIMEOUT,
  );
});
