// dbt's store_failures and store_failures_as through the real CLI, on PostgreSQL and on Redshift
// (Data API emulator): a failing test keeps its failing rows in
// `<target schema>_dbt_test__audit.<test name>` (a table, or a view with store_failures_as: view,
// in the test's `schema:` when set), a passing one keeps an empty table, `ephemeral` keeps
// nothing, every run replaces what the last one stored, and --store-failures stores the
// failures of the tests whose config says nothing of it.

import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI_WAREHOUSES, type CliProject, openCliProject, projectTargets } from '../support/cli-warehouses.js';

const CLI_TIMEOUT = 180_000;

const DUPLICATED = 'order_id,status,amount\n1,paid,10\n1,paid,10\n2,lost,-5\n3,paid,7\n,paid,1\n';
const CLEAN = 'order_id,status,amount\n1,paid,10\n2,paid,5\n3,paid,7\n';

const FILES: Record<string, string> = {
  'models/orders.sql': `select order_id, status, amount from {{ ref('raw_orders') }}`,
  'models/schema.yml': `models:
  - name: orders
    columns:
      - name: order_id
        data_tests:
          - unique: { config: { store_failures: true } }
          - not_null: { config: { store_failures_as: view, schema: audit } }
      - name: status
        data_tests:
          - accepted_values: { arguments: { values: [paid, lost] }, config: { store_failures: true } }
          - not_null: { config: { store_failures: true, store_failures_as: ephemeral } }
      - name: amount
        data_tests: [not_null]
`,
  'tests/negative_amounts.sql': `{{ config(store_failures=true, alias='negative_amounts_audit') }}
select order_id, amount from {{ ref('orders') }} where amount < 0`,
};

describe.each(Object.entries(CLI_WAREHOUSES))('store_failures on %s', (_name, kind) => {
  let project: CliProject;

  const cli = (...args: string[]) => project.cli('--target', kind.target, ...args);
  const rows = async (relation: string) => (await project.admin.query(`select * from ${relation} order by 1`)).rows;
  const kindOf = async (schema: string, name: string) =>
    (
      await project.admin.query<{ table_type: string }>(`select table_type from information_schema.tables where table_schema = $1 and table_name = $2`, [
        schema,
        name,
      ])
    ).rows[0]?.table_type;

  beforeAll(async () => {
    project = await openCliProject(kind, 'store_failures', (bucket) => ({
      ...FILES,
      'seeds/raw_orders.csv': DUPLICATED,
      'pgshift.yml': `name: audits\nstaging: { bucket: ${bucket} }\n${projectTargets('audits')}models: { +materialized: table }\n`,
    }));
  });

  afterAll(async () => {
    await project?.close();
  });

  it(
    'keeps the failing rows of each test that stores them, where dbt puts them',
    async () => {
      const build = await cli('build');
      expect(build.code, build.stdout + build.stderr).toBe(1);
      const duplicates = await project.admin.query(
        'select unique_field::int as order_id, n_records::int as n from analytics_dbt_test__audit.unique_orders_order_id',
      );
      expect(duplicates.rows).toEqual([{ order_id: 1, n: 2 }]);
      // store_failures_as: view, in the test's schema through generate_schema_name.
      expect(await kindOf('analytics_audit', 'not_null_orders_order_id')).toBe('VIEW');
      expect(await rows('analytics_audit.not_null_orders_order_id')).toHaveLength(1);
      // A passing test keeps an empty table; alias names a singular test's relation.
      expect(await rows('analytics_dbt_test__audit.accepted_values_orders_status__paid__lost')).toEqual([]);
      expect(await rows('analytics_dbt_test__audit.negative_amounts_audit')).toEqual([{ order_id: 2, amount: -5 }]);
      // ephemeral wins over store_failures: true; a test that says nothing stores nothing.
      expect(await kindOf('analytics_dbt_test__audit', 'not_null_orders_status')).toBeUndefined();
      expect(await kindOf('analytics_dbt_test__audit', 'not_null_orders_amount')).toBeUndefined();
      // The manifest names the relations, as dbt's does.
      const manifest = (await import(path.join(project.dir, 'target', 'manifest.json'), { with: { type: 'json' } })).default;
      const unique = Object.values(manifest.nodes as Record<string, { name: string; relation_name?: string }>).find(
        (node) => node.name === 'unique_orders_order_id',
      );
      expect(unique?.relation_name).toBe('"analytics_dbt_test__audit"."unique_orders_order_id"');
    },
    CLI_TIMEOUT,
  );

  it(
    'replaces what the last run stored, also when nothing fails any more',
    async () => {
      await writeFile(path.join(project.dir, 'seeds', 'raw_orders.csv'), CLEAN);
      const build = await cli('build', '--full-refresh');
      expect(build.code, build.stdout + build.stderr).toBe(0);
      expect(await rows('analytics_dbt_test__audit.unique_orders_order_id')).toEqual([]);
      expect(await rows('analytics_audit.not_null_orders_order_id')).toEqual([]);
      expect(await rows('analytics_dbt_test__audit.negative_amounts_audit')).toEqual([]);
    },
    CLI_TIMEOUT,
  );

  it(
    'stores the failures of every test whose config says nothing of it under --store-failures',
    async () => {
      const test = await cli('test', '--store-failures');
      expect(test.code, test.stdout + test.stderr).toBe(0);
      expect(await kindOf('analytics_dbt_test__audit', 'not_null_orders_amount')).toBe('BASE TABLE');
      expect(await rows('analytics_dbt_test__audit.not_null_orders_amount')).toEqual([]);
      // A test's own config still wins over the flag.
      expect(await kindOf('analytics_dbt_test__audit', 'not_null_orders_status')).toBeUndefined();
    },
    CLI_TIMEOUT,
  );
});
