// dbt's store_failures: a test's failing rows (up to its limit) kept in its audit relation,
// `<target schema>_dbt_test__audit.<test name>` unless configured otherwise, replaced on every
// run even when nothing fails (https://docs.getdbt.com/reference/resource-configs/store_failures).
// The relation is built by the model materializations (table or view), so it is replaced as a
// model is, on PostgreSQL and Redshift alike; the test then counts the stored rows instead of
// running its query a second time.

import { failuresRelationKind, type ModelNode, type TestNode } from '../../manifest/index.js';
import { resolveModelConfig } from '../../manifest/node-config.js';
import type { Warehouse } from '../../warehouse/warehouse.js';
import { limitedTestSql, materialize } from '../materializations/index.js';

/** Stores `test`'s failing rows when it is configured to; returns the test to count (over the stored rows, if stored). */
export async function storeFailures(warehouse: Warehouse, test: TestNode, signal?: AbortSignal): Promise<TestNode> {
  const as = failuresRelationKind(test);
  if (as === null || !test.schema || !test.alias || !test.relation_name) return test;
  const failures: ModelNode = {
    ...test,
    resource_type: 'model',
    schema: test.schema,
    alias: test.alias,
    relation_name: test.relation_name,
    config: resolveModelConfig({ materialized: as }),
    compiled_pre_hook: [],
    compiled_post_hook: [],
    columns: {},
    patch_path: null,
    unrendered_config: {},
    // The failing rows have the test query's columns: no contract holds them.
    contract: { enforced: false, alias_types: true, checksum: null },
    constraints: [],
  };
  await materialize(warehouse, failures, limitedTestSql(test), { fullRefresh: true, signal });
  // The limit was applied when storing; fail_calc, warn_if and error_if judge the stored rows.
  return { ...test, compiled_code: `select * from ${test.relation_name}`, config: { ...test.config, limit: null } };
}
