// Runs a data test: counts the failing rows its compiled query returns (or applies fail_calc)
// and judges them by severity, warn_if and error_if, exactly as dbt documents:
// severity error → error_if decides `fail`, else warn_if decides `warn`, else `pass`;
// severity warn → error_if is never consulted.
//
// `where` is not applied here: the compiler already filtered the tested relation through a
// subquery when it rendered the test. `limit` is, as dbt applies it around the test query.

import type { TestNode } from '../../manifest/manifest.js';
import { CancelledError, errorMessage } from '../../errors.js';
import type { StatementOptions, Warehouse } from '../../warehouse/warehouse.js';
import { isSqlTrue } from '../../util/sql-boolean.js';
import { trimStatement } from './build-target.js';
import { MaterializationError } from './materialization-error.js';

export type DataTestStatus = 'pass' | 'warn' | 'fail';

export interface DataTestResult {
  readonly status: DataTestStatus;
  /** fail_calc over the test's rows: by default how many rows the test returned. */
  readonly failures: number;
  readonly sql: string;
}

/**
 * The query that judges a test. warn_if and error_if are SQL conditions on the failure count
 * (`!= 0`, `> 10`, `between 5 and 10`), evaluated by the warehouse as dbt does, so every
 * comparison SQL allows works.
 */
export function dataTestQuery(test: TestNode): string {
  const config = test.config;
  const limited = limitedTestSql(test);
  return `select failures,
       failures ${config.warn_if} as should_warn,
       failures ${config.error_if} as should_error
  from (
    select ${config.fail_calc} as failures
      from (
${limited}
      ) as pgshift_test
  ) as counted`;
}

/** The test's failing rows, up to its `limit`: what is counted, and what store_failures keeps. */
export function limitedTestSql(test: TestNode): string {
  const sql = trimStatement(test.compiled_code);
  return test.config.limit === null ? sql : `select * from (\n${sql}\n) as limited_test limit ${test.config.limit}`;
}

export async function runDataTest(warehouse: Warehouse, test: TestNode, options: StatementOptions = {}): Promise<DataTestResult> {
  const sql = dataTestQuery(test);
  let row: Record<string, unknown> | undefined;
  try {
    [row] = await warehouse.query(sql, [], options);
  } catch (error) {
    if (error instanceof CancelledError) throw error;
    throw new MaterializationError(
      `${test.unique_id}: the test query failed: ${errorMessage(error)}`,
      { model: test.unique_id, file: test.original_file_path },
      { cause: error },
    );
  }
  // fail_calc over no rows can be NULL (sum(…)); no rows means nothing failed.
  const failures = row?.failures === null || row?.failures === undefined ? 0 : Number(row.failures);
  const status = judge(test.config.severity, isSqlTrue(row?.should_warn), isSqlTrue(row?.should_error));
  return { status, failures, sql };
}

export function judge(severity: 'error' | 'warn', shouldWarn: boolean, shouldError: boolean): DataTestStatus {
  if (severity === 'error' && shouldError) return 'fail';
  return shouldWarn ? 'warn' : 'pass';
}
