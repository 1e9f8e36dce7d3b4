// Builds a snapshot: stage its query, then create the history table (first run) or add the
// run's new versions and close the ones they replace (snapshot-plan.ts), in one transaction.

import { ConfigError, WarehouseError } from '../../errors.js';
import type { SnapshotNode } from '../../manifest/manifest.js';
import type { StatementOptions, Warehouse } from '../../warehouse/warehouse.js';
import { trimStatement } from './build-target.js';
import { runSteps } from './plan-step.js';
import { relationKind } from './relation-kind.js';
import { planSnapshotApply, planSnapshotCreate, planSnapshotStage, type SnapshotTarget, snapshotStagingName } from './snapshot-plan.js';
import { dropLeftovers } from './table.js';

export interface SnapshotResult {
  /** Versions written: every row on the first run, new and deletion versions later. */
  readonly rowsAffected: number;
  readonly created: boolean;
  readonly sql: string[];
}

/** `now` is the snapshot's time: when a check-strategy version starts and a deleted key's version ends. */
export async function buildSnapshot(warehouse: Warehouse, node: SnapshotNode, sql: string, now: Date, options: StatementOptions = {}): Promise<SnapshotResult> {
  const select = trimStatement(sql);
  if (select === '')
    throw new ConfigError(`${node.unique_id}: the compiled SQL is empty; a snapshot must be a select`, {
      model: node.unique_id,
      file: node.original_file_path,
    });
  const target: SnapshotTarget = {
    dialect: warehouse.dialect,
    model: node.unique_id,
    schema: node.schema,
    alias: node.alias,
    config: node.config,
    sql: select,
  };
  const staging = snapshotStagingName(target.dialect, target.alias);
  const log: string[] = [];
  // Timestamps without a zone, as the meta columns hold them; the run's clock is UTC.
  const at = now.toISOString().replace('T', ' ').replace('Z', '');
  try {
    const existing = await relationKind(warehouse, target.schema, target.alias, options);
    if (existing !== undefined && existing !== 'table') {
      throw new ConfigError(
        `${node.unique_id}: ${target.schema}.${target.alias} is a ${existing.replace('_', ' ')}, not a snapshot table; drop it or give the snapshot another alias`,
        {
          model: node.unique_id,
        },
      );
    }
    await runSteps(warehouse, planSnapshotStage(target), log, options);
    const staged = await warehouse.describeTable(target.schema, staging);
    if (!staged) throw new WarehouseError(`${node.unique_id}: ${target.schema}.${staging} disappeared while the snapshot ran`, { model: node.unique_id });
    if (existing === undefined) {
      const rows = await runSteps(warehouse, planSnapshotCreate(target, staged, at), log, options);
      return { rowsAffected: rows, created: true, sql: log };
    }
    const current = await warehouse.describeTable(target.schema, target.alias);
    if (!current) throw new WarehouseError(`${node.unique_id}: ${target.schema}.${target.alias} disappeared while the snapshot ran`, { model: node.unique_id });
    const rows = await runSteps(warehouse, planSnapshotApply(target, current, staged, at), log, options);
    return { rowsAffected: rows, created: false, sql: log };
  } catch (error) {
    await dropLeftovers(warehouse, target, [staging]);
    throw error;
  }
}
