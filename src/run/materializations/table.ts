// Builds a table model (and the full builds of incremental models): the new table is made under a
// temporary name, then swapped in atomically. On PostgreSQL `partition_by` makes it a
// range-partitioned table and `indexes` adds indexes; on Redshift `dist`/`sort` shape it.
// Between the two, the model's blocking tests audit the temporary table (publication.ts); the
// swap carries the relation's grants, so readers never see it without them.

import type { StatementOptions, Warehouse } from '../../warehouse/warehouse.js';
import { ConfigError } from '../../errors.js';
import type { BuildTarget, RelationTarget } from './build-target.js';
import { checkQueryAgainstContract, hasContract, warnAboutConstraints } from './contract-check.js';
import { requireUniqueKeyColumns } from './incremental-plan.js';
import { partitionSpec, periodsQuery, planPartitionedBuild, planPartitionStage } from './partition-plan.js';
import { runSteps } from './plan-step.js';
import { relationKind } from './relation-kind.js';
import { partitionStageName, tmpName } from './relation-names.js';
import type { BuildOutcome, Publication } from './publication.js';
import { planCleanup, planSwap, planTableBuild, type TableBuild } from './table-plan.js';

export async function buildTable(
  warehouse: Warehouse,
  target: BuildTarget,
  publication: Publication,
  log: string[],
  options: StatementOptions,
): Promise<BuildOutcome> {
  const helpers = [tmpName(target.dialect, target.alias), partitionStageName(target.dialect, target.alias)];
  try {
    let build: TableBuild;
    let rows = 0;
    if (hasContract(target)) {
      if (target.dialect === 'postgres' && target.config.partition_by) {
        throw new ConfigError(`${target.model}: an enforced contract and partition_by cannot be combined yet; remove one of them`, {
          model: target.model,
          key: 'partition_by',
        });
      }
      await checkQueryAgainstContract(warehouse, target, log, options);
    }
    if (target.dialect === 'postgres' && target.config.partition_by) {
      await runSteps(warehouse, planPartitionStage(target), log, options);
      const staging = partitionStageName(target.dialect, target.alias);
      const spec = partitionSpec(target, (await warehouse.describeTable(target.schema, staging)) ?? []);
      const periods = await warehouse.query<{ period: string }>(periodsQuery(target, spec), [], options);
      build = planPartitionedBuild(
        target,
        spec,
        periods.map((row) => row.period),
      );
    } else {
      build = planTableBuild(target);
      warnAboutConstraints(build.warnings ?? []);
    }
    rows = await runSteps(warehouse, build.steps, log, options);
    if (target.config.materialized === 'incremental' && (target.config.unique_key ?? []).length > 0) {
      const built = (await warehouse.describeTable(target.schema, tmpName(target.dialect, target.alias))) ?? [];
      requireUniqueKeyColumns(
        target,
        built.map((column) => column.name),
      );
    }
    const audit = await publication.audit?.({ schema: target.schema, identifier: tmpName(target.dialect, target.alias) }, 'relation');
    if (audit && !audit.passed) {
      await dropLeftovers(warehouse, target, helpers);
      const previous = (await relationKind(warehouse, target.schema, target.alias, options)) === undefined ? 'absent' : 'unchanged';
      return { rows, published: false, audit, previous };
    }
    // Read just before the swap: whatever holds the name now is what the swap must replace.
    const existing = await relationKind(warehouse, target.schema, target.alias, options);
    await runSteps(warehouse, [planSwap(target, existing, [...build.afterSwap, ...publication.grants('table')])], log, options);
    return { rows, published: true, audit };
  } catch (error) {
    await dropLeftovers(warehouse, target, helpers);
    throw error;
  }
}

/**
 * Best-effort removal of helper tables after a failure. Runs without the caller's signal (a
 * cancelled build should still tidy up) and never hides the original error: a leftover that
 * cannot be dropped now is dropped by the next build before it starts.
 */
export async function dropLeftovers(warehouse: Warehouse, target: RelationTarget, names: readonly string[]): Promise<void> {
  const step = planCleanup(target, names);
  await warehouse.transaction(step.statements).catch(() => undefined);
}
