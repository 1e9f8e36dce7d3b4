// Builds an incremental model: a full build (as a table) on the first run, with --full-refresh, or
// when something other than a table holds the name; otherwise stage, reconcile columns, merge.
// An audited model's tests run against the staged increment before anything touches the table.

import { WarehouseError } from '../../errors.js';
import type { StatementOptions, Warehouse, WarehouseColumn } from '../../warehouse/warehouse.js';
import type { BuildTarget } from './build-target.js';
import { hasContract, requireContractColumns } from './contract-check.js';
import { type ContractSpec, ddlType } from './contract-types.js';
import { planIncrementalApply, planIncrementalStage } from './incremental-plan.js';
import { runSteps } from './plan-step.js';
import type { BuildOutcome, Publication } from './publication.js';
import { relationKind } from './relation-kind.js';
import { stagingName } from './relation-names.js';
import { buildTable, dropLeftovers } from './table.js';

export async function buildIncremental(
  warehouse: Warehouse,
  target: BuildTarget,
  fullRefresh: boolean,
  publication: Publication,
  log: string[],
  options: StatementOptions,
): Promise<BuildOutcome> {
  const existing = await relationKind(warehouse, target.schema, target.alias, options);
  if (fullRefresh || existing !== 'table') return buildTable(warehouse, target, publication, log, options);
  const staging = stagingName(target.dialect, target.alias);
  try {
    await runSteps(warehouse, planIncrementalStage(target), log, options);
    // Every increment is held to the contract: the staged rows have the query's own types.
    if (hasContract(target)) requireContractColumns(target, (await warehouse.describeTable(target.schema, staging)) ?? []);
    const audit = await publication.audit?.({ schema: target.schema, identifier: staging }, 'increment');
    if (audit && !audit.passed) {
      await dropLeftovers(warehouse, target, [staging]);
      return { rows: 0, published: false, audit, previous: 'unchanged' };
    }
    const incoming = await warehouse.describeTable(target.schema, staging);
    const current = await warehouse.describeTable(target.schema, target.alias);
    if (!incoming || !current) {
      // Both were there a moment ago; something else dropped one mid-run.
      throw new WarehouseError(`${target.model}: ${target.schema}.${incoming ? target.alias : staging} disappeared during the incremental run`, {
        model: target.model,
      });
    }
    const arriving = hasContract(target) ? withDeclaredTypes(target, incoming) : incoming;
    const rows = await runSteps(warehouse, planIncrementalApply(target, await withStorage(warehouse, target, current, arriving), arriving), log, options);
    return { rows, published: true, audit };
  } catch (error) {
    await dropLeftovers(warehouse, target, [staging]);
    throw error;
  }
}

/**
 * A column the contract adds (on_schema_change: append_new_columns) joins the table with its
 * declared type, as the full build would have made it, not with the type the query happens to give.
 */
function withDeclaredTypes(target: BuildTarget & { contract: ContractSpec }, incoming: readonly WarehouseColumn[]): WarehouseColumn[] {
  const declared = new Map(target.contract.columns.map((column) => [column.name, ddlType(column.dataType, target.contract.aliasTypes)]));
  return incoming.map((column) => ({ ...column, type: declared.get(column.name) ?? column.type }));
}

/** Adds Redshift's column storage when a column may be dropped or widened: both depend on it. */
async function withStorage(
  warehouse: Warehouse,
  target: BuildTarget,
  current: WarehouseColumn[],
  incoming: readonly WarehouseColumn[],
): Promise<WarehouseColumn[]> {
  if (!warehouse.describeColumnStorage || target.config.on_schema_change !== 'sync_all_columns') return current;
  const incomingTypes = new Map(incoming.map((column) => [column.name, column.type]));
  if (current.every((column) => incomingTypes.get(column.name) === column.type)) return current;
  const storage = await warehouse.describeColumnStorage(target.schema, target.alias);
  return current.map((column) => (storage.has(column.name) ? { ...column, storage: storage.get(column.name) } : column));
}
