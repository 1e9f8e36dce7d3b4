// A source node: extract its table and load the batch into the raw schema, for the run's
// interval, or day by day for the days the run processes (one batch a day, oldest first,
// stopping at the first failed day unless told to go on).

import { FailedDaysError } from '../../batch/day-plan.js';
import { ConfigError, errorMessage } from '../../errors.js';
import { logger } from '../../log/logger.js';
import { relationKey, type SourceNode } from '../../manifest/index.js';
import { syncTable } from '../sync-sources.js';
import type { ExecutionContext, NodeExecutor } from './execution-context.js';
import type { SourceTable } from '../../config/project.js';
import type { Interval } from '../../batch/interval.js';
import type { LoadResult } from '../../load/load-batch.js';

export const executeSource: NodeExecutor<SourceNode> = async (node, context) => {
  const { project } = context;
  const table = project.tables.find((candidate) => candidate.id === node.table_id);
  if (!table) throw new ConfigError(`${node.unique_id}: no table ${node.table_id} in pgshift.yml`);
  const days = context.sourceDays;
  if (!days) {
    const load = await sync(table, context, context.interval, false);
    return { status: 'success', rowsAffected: load.rows, reconciliation: load.reconciliation };
  }
  const due = days.steps.filter((step) => step.tables.has(table.id));
  // A table complete for every day of the run stays as it is; its models still run.
  if (due.length === 0) return { status: 'success', rowsAffected: 0, message: 'complete for these days already' };
  let rows = 0;
  let last: LoadResult | undefined;
  const failed: string[] = [];
  for (const [index, step] of due.entries()) {
    if (due.length > 1) logger.info(`${table.id} day ${index + 1}/${due.length}: ${step.label}`);
    try {
      last = await sync(table, context, step.interval, step.fromBeginning.has(table.id));
      rows += last.rows;
      days.onDay?.(step.label, table.id, false);
    } catch (error) {
      days.onDay?.(step.label, table.id, true);
      const later = due.length - index - 1;
      if (!days.continueAfterFailedDay || context.signal?.aborted) {
        if (later > 0) logger.error(`${table.id} day ${step.label} failed; stopping before ${later} later day(s) (--continue-after-failed-day goes on)`);
        throw error;
      }
      logger.error(`${table.id} day ${step.label} failed: ${errorMessage(error)}`);
      failed.push(step.label);
    }
  }
  if (failed.length > 0) throw new FailedDaysError(failed, table.id);
  // The reconciliation shown is the newest day's: what raw holds now against the source.
  return { status: 'success', rowsAffected: rows, ...(last?.reconciliation ? { reconciliation: last.reconciliation } : {}) };
};

async function sync(table: SourceTable, context: ExecutionContext, interval: Interval, fromBeginning: boolean): Promise<LoadResult> {
  const { load } = await syncTable(table, {
    project: context.project,
    interval,
    sourcePoolFor: context.sourcePoolFor,
    s3: context.s3(),
    warehouse: context.warehouse,
    progress: context.progress,
    fromBeginning,
    acceptDeletes: context.acceptDeletes,
    signal: context.signal,
  });
  context.existing.add(relationKey(context.project.rawSchema, table.name));
  return load;
}
