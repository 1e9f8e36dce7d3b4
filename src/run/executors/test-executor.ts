// A data test node: count its failing rows; severity decides between fail and warn.

import type { TestNode } from '../../manifest/index.js';
import { MaterializationError, runDataTest } from '../materializations/index.js';
import type { NodeExecutor } from './execution-context.js';
import { missingTestColumn } from './test-column-check.js';

export const executeTest: NodeExecutor<TestNode> = async (test, context) => {
  const result = await runDataTest(context.warehouse, test).catch(async (error: unknown) => {
    if (!(error instanceof MaterializationError)) throw error;
    throw (await missingTestColumn(context.warehouse, context.manifest, test)) ?? error;
  });
  return { status: result.status, failures: result.failures, message: result.status === 'pass' ? undefined : `${result.failures} failing row(s)` };
};
