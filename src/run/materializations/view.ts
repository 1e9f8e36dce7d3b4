// Builds a view model: the plan from view-plan.ts, with the drop-and-create fallback when the
// view exists and CREATE OR REPLACE refuses the new column list. When the model is audited, its
// new definition is first created as `<alias>__pgshift_audit` and tested there; the model's view
// is replaced only if the tests pass.

import { CancelledError } from '../../errors.js';
import type { StatementOptions, Warehouse } from '../../warehouse/warehouse.js';
import type { BuildTarget } from './build-target.js';
import { checkQueryAgainstContract, hasContract } from './contract-check.js';
import { runSteps } from './plan-step.js';
import type { AuditVerdict, BuildOutcome, Publication } from './publication.js';
import { relationKind } from './relation-kind.js';
import { auditViewName } from './relation-names.js';
import { planAuditView, planDropAuditView, planView } from './view-plan.js';

export async function buildView(
  warehouse: Warehouse,
  target: BuildTarget,
  publication: Publication,
  log: string[],
  options: StatementOptions,
): Promise<BuildOutcome> {
  // A view gets the names and types check only: a view holds no constraints, as in dbt.
  if (hasContract(target)) await checkQueryAgainstContract(warehouse, target, log, options);
  const audit = publication.audit ? await auditView(warehouse, target, publication.audit, log, options) : undefined;
  const existing = await relationKind(warehouse, target.schema, target.alias, options);
  if (audit && !audit.passed) {
    const previous = existing !== undefined ? 'unchanged' : await restorePrevious(warehouse, target, publication, log, options);
    return { rows: 0, published: false, audit, previous };
  }
  const plan = planView(target, existing, publication.grants('view'));
  try {
    await runSteps(warehouse, plan.steps, log, options);
  } catch (error) {
    // Neither warehouse names the "columns changed" case in a way the Data API passes on (no
    // SQLSTATE there), so any failure on an existing view gets the atomic retry; a real error in
    // the select fails the same way again, and the transaction leaves the old view in place.
    if (plan.fallback.length === 0 || error instanceof CancelledError || options.signal?.aborted) throw error;
    await runSteps(warehouse, plan.fallback, log, options);
  }
  return { rows: 0, published: true, audit };
}

/**
 * The view was there when the run started and is gone now: an upstream table's rebuild dropped
 * it (PostgreSQL binds views). Its definition as the run found it goes back, with its grants.
 */
async function restorePrevious(
  warehouse: Warehouse,
  target: BuildTarget,
  publication: Publication,
  log: string[],
  options: StatementOptions,
): Promise<'restored' | 'absent'> {
  if (publication.previousDefinition === undefined) return 'absent';
  const restore = planView({ ...target, sql: publication.previousDefinition }, undefined, publication.grants('view'));
  try {
    await runSteps(warehouse, restore.steps, log, options);
    return 'restored';
  } catch (error) {
    if (error instanceof CancelledError) throw error;
    // The old definition no longer fits the rebuilt tables (a column it read is gone).
    return 'absent';
  }
}

/** The new definition as a view of its own, its tests run against it, then dropped. */
async function auditView(
  warehouse: Warehouse,
  target: BuildTarget,
  audit: NonNullable<Publication['audit']>,
  log: string[],
  options: StatementOptions,
): Promise<AuditVerdict> {
  try {
    await runSteps(warehouse, planAuditView(target), log, options);
    return await audit({ schema: target.schema, identifier: auditViewName(target.dialect, target.alias) }, 'relation');
  } finally {
    // Without the caller's signal: a cancelled build still tidies up; the next run drops it otherwise.
    await runSteps(warehouse, [planDropAuditView(target)], log).catch(() => undefined);
  }
}
