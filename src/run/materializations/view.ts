// Builds a view model: the plan from view-plan.ts, with the drop-and-create fallback when the
// view exists and CREATE OR REPLACE refuses the new column list.

import { CancelledError } from '../../errors.js';
import type { StatementOptions, Warehouse } from '../../warehouse/warehouse.js';
import type { BuildTarget } from './build-target.js';
import { runSteps } from './plan-step.js';
import { relationKind } from './relation-kind.js';
import { planView } from './view-plan.js';

export async function buildView(warehouse: Warehouse, target: BuildTarget, log: string[], options: StatementOptions): Promise<number> {
  const plan = planView(target, await relationKind(warehouse, target.schema, target.alias, options));
  try {
    await runSteps(warehouse, plan.steps, log, options);
  } catch (error) {
    // Neither warehouse names the "columns changed" case in a way the Data API passes on (no
    // SQLSTATE there), so any failure on an existing view gets the atomic retry; a real error in
    // the select fails the same way again, and the transaction leaves the old view in place.
    if (plan.fallback.length === 0 || error instanceof CancelledError || options.signal?.aborted) throw error;
    await runSteps(warehouse, plan.fallback, log, options);
  }
  return 0;
}
