// A data test node: count its failing rows; severity decides between fail and warn.

import type { TestNode } from '../../manifest/index.js';
import { runDataTest } from '../materializations/index.js';
import type { NodeExecutor } from './execution-context.js';

export const executeTest: NodeExecutor<TestNode> = async (test, context) => {
  const result = await runDataTest(context.warehouse, test);
  return { status: result.status, failures: result.failures, message: result.status === 'pass' ? undefined : `${result.failures} failing row(s)` };
};
