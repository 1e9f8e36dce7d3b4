// Two things a dbt user's day needs, through the real CLI on PostgreSQL and on Redshift (Data
// API emulator): a source only dbt YAML declares (a table another loader filled) read where the
// YAML says and tested, never extracted; and --defer --state, a sandbox run reading the main
// target's relation for the parent it does not build.

import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRunResults } from '../../src/run/run-results.js';
import { CLI_WAREHOUSES } from '../support/cli-warehouses.js';
import { runCli } from '../support/run-cli.js';
import { createTestBucket, createTestDatabase, type TestBucket, type TestDatabase } from '../support/test-env.js';
import { testPool } from '../support/test-pool.js';

const CLI_TIMEOUT = 180_000;

const FILES: Record<string, string> = {
  'models/crm.yml': `sources:
  - name: crm
    loader: sales-tool
    tables:
      - name: accounts
        identifier: crm_accounts
        columns:
          - name: id
            data_tests: [not_null]
`,
  'models/accounts.sql': "select count(*) as n, '{{ target.name }}' as built_by from {{ source('crm', 'accounts') }}",
  'models/account_report.sql': "select n, built_by, '{{ ref('accounts').schema }}' as read_from from {{ ref('accounts') }}",
};

// Each warehouse's main target and a sandbox beside it, in another schema.
const TARGETS = `targets:
  dev: { type: postgres, schema: analytics, connection_env: PGSHIFT_WAREHOUSE_URL }
  dev_sandbox: { type: postgres, schema: sandbox, connection_env: PGSHIFT_WAREHOUSE_URL }
  prod: { type: redshift, schema: analytics, database: dev, workgroup_name: crm, iam_role: 'arn:aws:iam::123456789012:role/crm' }
  prod_sandbox: { type: redshift, schema: sandbox, database: dev, workgroup_name: crm, iam_role: 'arn:aws:iam::123456789012:role/crm' }
`;

describe.each(Object.entries(CLI_WAREHOUSES))('dbt YAML sources and --defer on %s', (_name, kind) => {
  let db: TestDatabase;
  let bucket: TestBucket;
  let admin: pg.Pool;
  let dir: string;
  let env: Record<string, string>;
  let close: () => Promise<void>;

  const cli = (...args: string[]) => runCli(['--project-dir', dir, ...args], env);

  beforeAll(async () => {
    db = await createTestDatabase('yaml_sources');
    bucket = await createTestBucket('yaml-sources');
    admin = testPool({ connectionString: db.url, max: 1 });
    // What the other loader filled, readable by the pipeline's user (public here).
    await admin.query(`create schema crm; create table crm.crm_accounts (id int); insert into crm.crm_accounts values (1), (2), (3);
      grant usage on schema crm to public; grant select on crm.crm_accounts to public`);
    dir = await mkdtemp(path.join(tmpdir(), 'pgshift-yaml-sources-'));
    const project = `name: crm\nstaging: { bucket: ${bucket.bucket} }\n${TARGETS}models: { +materialized: table }\n`;
    for (const [file, text] of Object.entries({ ...FILES, 'pgshift.yml': project })) {
      await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
      await writeFile(path.join(dir, file), text);
    }
    const started = await kind.start(db);
    close = started.close;
    env = started.env;
  });

  afterAll(async () => {
    await close?.();
    await admin?.end();
    await db?.drop();
    await bucket?.drop?.();
    await rm(dir, { recursive: true, force: true });
  });

  it(
    'reads and tests the table the YAML names, and extracts nothing',
    async () => {
      const result = await cli('build', '--target', kind.target, '--target-path', 'main-state');
      expect(result.code, result.stderr + result.stdout).toBe(0);
      expect((await admin.query('select n::int as n, built_by from analytics.accounts')).rows).toEqual([{ n: 3, built_by: kind.target }]);
      const ran = (await readRunResults(path.join(dir, 'main-state')))!.results.map((entry) => entry.unique_id);
      expect(ran).toContain('test.crm.source_not_null_crm_accounts_id');
      expect(ran.some((id) => id.startsWith('source.'))).toBe(false);
    },
    CLI_TIMEOUT,
  );

  it(
    "builds only the sandbox's model, reading the main target's relation for its parent",
    async () => {
      const result = await cli('run', '--target', `${kind.target}_sandbox`, '--select', 'account_report', '--defer', '--state', path.join(dir, 'main-state'));
      expect(result.code, result.stderr + result.stdout).toBe(0);
      expect((await admin.query('select n::int as n, built_by, read_from from sandbox.account_report')).rows).toEqual([
        { n: 3, built_by: kind.target, read_from: 'analytics' },
      ]);
    },
    CLI_TIMEOUT,
  );
});
