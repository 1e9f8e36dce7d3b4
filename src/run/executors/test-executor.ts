// A data test node: count its failing rows; severity decides between fail and warn. A governance
// test (no_pii, or tagged governance) also holds or releases the relation it tests.

import { isGovernanceTest, type TestNode } from '../../manifest/index.js';
import { MaterializationError, runDataTest } from '../materializations/index.js';
import type { NodeExecutor } from './execution-context.js';
import { missingTestColumn } from './test-column-check.js';
import { testOutcome } from './test-outcome.js';

export const executeTest: NodeExecutor<TestNode> = async (test, context) => {
  const result = await runDataTest(context.warehouse, test).catch(async (error: unknown) => {
    if (!(error instanceof MaterializationError)) throw error;
    throw (await missingTestColumn(context.warehouse, context.manifest, test)) ?? error;
  });
  if (context.governance && isGovernanceTest(test)) {
    if (result.status === 'fail') await context.governance.hold(test, result.failures);
    else if (result.status === 'pass') await context.governance.release(test);
  }
  return testOutcome(result);
};
