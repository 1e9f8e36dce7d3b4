// Whether a data test stores its failing rows, and where: dbt's store_failures and
// store_failures_as (https://docs.getdbt.com/reference/resource-configs/store_failures,
// https://docs.getdbt.com/reference/resource-configs/store_failures_as). Pure: compile/ names
// the relation, run/ builds it.

import type { TestConfig } from './node-config.js';

/** dbt's default custom schema of stored failures: `<target schema>_dbt_test__audit`. */
export const TEST_AUDIT_SCHEMA = 'dbt_test__audit';

/**
 * How the failing rows are kept, or null when they are not: store_failures_as wins when set
 * (`ephemeral` keeps nothing), else store_failures true or false, else the --store-failures
 * flag: a table, as dbt's should_store_failures() decides.
 */
export function storedFailuresAs(config: Pick<TestConfig, 'store_failures' | 'store_failures_as'>, flag = false): 'table' | 'view' | null {
  if (config.store_failures_as) return config.store_failures_as === 'ephemeral' ? null : config.store_failures_as;
  return (config.store_failures ?? flag) ? 'table' : null;
}

/** How a compiled test keeps its failures: compile named their relation only when it stores them. */
export function failuresRelationKind(test: {
  readonly config: Pick<TestConfig, 'store_failures' | 'store_failures_as'>;
  readonly relation_name?: string;
}): 'table' | 'view' | null {
  return test.relation_name === undefined ? null : (storedFailuresAs(test.config, true) ?? 'table');
}
