// Two things a dbt user's day needs, through the real CLI on PostgreSQL and on Redshift (Data
// API emulator): a source only dbt YAML declares (a table another loader filled) read where the
// YAML says and tested, never extracted; and --defer --state, a sandbox run reading the main
// target's relation for the parent it does not build.

import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRunResults } from '../../src/run/run-results.js';
import { CLI_WAREHOUSES, type CliProject, openCliProject } from '../support/cli-warehouses.js';

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
  let project: CliProject;
  const cli = (...args: string[]) => project.cli(...args);

  beforeAll(async () => {
    project = await openCliProject(
      kind,
      'yaml_sources',
      (bucket) => ({ ...FILES, 'pgshift.yml': `name: crm\nstaging: { bucket: ${bucket} }\n${TARGETS}models: { +materialized: table }\n` }),
      // What the other loader filled, readable by the pipeline's user (public here).
      (admin) =>
        admin.query(`create schema crm; create table crm.crm_accounts (id int); insert into crm.crm_accounts values (1), (2), (3);
          grant usage on schema crm to public; grant select on crm.crm_accounts to public`),
    );
  });

  afterAll(async () => {
    await project?.close();
  });

  it(
    'reads and tests the table the YAML names, and extracts nothing',
    async () => {
      const result = await cli('build', '--target', kind.target, '--target-path', 'main-state');
      expect(result.code, result.stderr + result.stdout).toBe(0);
      expect((await project.admin.query('select n::int as n, built_by from analytics.accounts')).rows).toEqual([{ n: 3, built_by: kind.target }]);
      const ran = (await readRunResults(path.join(project.dir, 'main-state')))!.results.map((entry) => entry.unique_id);
      expect(ran).toContain('test.crm.source_not_null_crm_accounts_id');
      expect(ran.some((id) => id.startsWith('source.'))).toBe(false);
    },
    CLI_TIMEOUT,
  );

  it(
    "builds only the sandbox's model, reading the main target's relation for its parent",
    async () => {
      const result = await cli(
        'run',
        '--target',
        `${kind.target}_sandbox`,
        '--select',
        'account_report',
        '--defer',
        '--state',
        path.join(project.dir, 'main-state'),
      );
      expect(result.code, result.stderr + result.stdout).toBe(0);
      expect((await project.admin.query('select n::int as n, built_by, read_from from sandbox.account_report')).rows).toEqual([
        { n: 3, built_by: kind.target, read_from: 'analytics' },
      ]);
    },
    CLI_TIMEOUT,
  );
});
