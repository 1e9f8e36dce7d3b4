// A data test node: count its failing rows; severity decides between fail and warn. A governance
// test (no_pii, or tagged governance) also holds or releases the relation it tests.

import { isGovernanceTest, type TestNode } from '../../manifest/index.js';
import { MaterializationError, runDataTest } from '../materializations/index.js';
import { carriesOverFromIncrement, forgetWholeTableChecks, recordWholeTableChecks } from '../whole-table-checks.js';
import type { ExecutionContext, NodeExecutor } from './execution-context.js';
import { storeFailures } from './stored-failures.js';
import { missingTestColumn } from './test-column-check.js';
import { testOutcome } from './test-outcome.js';

export const executeTest: NodeExecutor<TestNode> = async (test, context) => {
  const counted = async () => runDataTest(context.warehouse, await storeFailures(context.warehouse, test, context.signal), { signal: context.signal });
  const result = await counted().catch(async (error: unknown) => {
    if (!(error instanceof MaterializationError)) throw error;
    throw (await missingTestColumn(context.warehouse, context.manifest, test)) ?? error;
  });
  if (context.governance && isGovernanceTest(test)) {
    if (result.status === 'fail') await context.governance.hold(test, result.failures);
    else if (result.status === 'pass') await context.governance.release(test);
  }
  await keepWholeTableCheck(test, result.status, context);
  return testOutcome(result);
};

/** A row-wise test of an incremental model that passed on its whole table is recorded (whole-table-checks.ts); one that did not is forgotten. */
async function keepWholeTableCheck(test: TestNode, status: string, context: ExecutionContext): Promise<void> {
  const model = test.attached_node ? context.manifest.nodes[test.attached_node] : undefined;
  if (model?.resource_type !== 'model' || model.config.materialized !== 'incremental' || !carriesOverFromIncrement(test, model)) return;
  const table = { schema: model.schema, relation: model.alias };
  if (status === 'pass') await recordWholeTableChecks(context.warehouse, table, [test], { signal: context.signal });
  else await forgetWholeTableChecks(context.warehouse, table, test.unique_id, { signal: context.signal });
}
