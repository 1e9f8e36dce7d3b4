// `load`: batches extracted earlier loaded into the raw schema, for each day the command
// processes (see command-days.ts: without --date, every day after each table's last complete one).

import { chosenTargetName, requireCopyRole } from '../config/target.js';
import type { DayStep } from '../batch/day-plan.js';
import { describeInterval, intervalFromFlags, type IntervalFlags } from '../batch/interval.js';
import { readBatchHistory } from '../load/batch-history.js';
import { selectTables } from '../extract/select-tables.js';
import { logger } from '../log/logger.js';
import { runBounded } from '../util/bounded-parallel.js';
import { throwFirstFailure } from '../util/outcomes.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { FailedDaysError, forEachDay, planCommandDays } from './command-days.js';
import { withRunLock } from './hold-run-lock.js';
import { acceptedDeletes } from './accepted-deletes.js';
import { openRuntime, type GlobalOptions, type Runtime } from './runtime.js';

export interface LoadOptions extends IntervalFlags {
  select: string[];
  exclude: string[];
  threads?: number;
  /** How long to wait for another run on the target (--lock-timeout); default 10 minutes. */
  lockTimeout?: number;
  /** --accept-deletes: table ids (or `all`) whose detected deletes may exceed max_delete_ratio. */
  acceptDeletes?: string[];
}

export async function loadBatches(globals: GlobalOptions, options: LoadOptions, signal?: AbortSignal): Promise<{ tables: number; rows: number }> {
  intervalFromFlags(options);
  const runtime = await openRuntime(globals, options.threads);
  requireCopyRole(runtime.project, chosenTargetName(runtime.project, globals.target));
  const threads = options.threads ?? runtime.project.threads;
  const { openWarehouse } = await import('../warehouse/open-warehouse.js');
  const warehouse = await openWarehouse(runtime.target(), () => runtime.s3(), threads);
  try {
    return await withRunLock(runtime.target(), warehouse, options.lockTimeout, signal, async () => {
      const tables = selectTables(runtime.project.tables, options.select, options.exclude);
      const days = planCommandDays(runtime.project, options, tables, await readBatchHistory(warehouse, signal));
      const acceptDeletes = acceptedDeletes(runtime.project, options.acceptDeletes);
      let rows = 0;
      const outcomes = await forEachDay(days, options.continueAfterFailedDay, async (step) => {
        rows += await loadDay(runtime, warehouse, step, threads, acceptDeletes, signal);
        return { value: undefined, failed: false };
      });
      const failed = outcomes.filter((outcome) => outcome.failed).map((outcome) => outcome.step.label);
      if (failed.length > 0) throw new FailedDaysError(failed);
      return { tables: tables.length, rows };
    });
  } finally {
    await warehouse.close();
    await runtime.close();
  }
}

async function loadDay(
  runtime: Runtime,
  warehouse: Warehouse,
  step: DayStep,
  threads: number,
  acceptDeletes: ReadonlySet<string>,
  signal: AbortSignal | undefined,
): Promise<number> {
  const { loadTableBatch } = await import('../load/load-batch.js');
  const tables = runtime.project.tables.filter((table) => step.tables.has(table.id));
  logger.info(`load: ${tables.length} table(s) for ${describeInterval(step.interval)} into ${runtime.target().name}`, { threads });
  const outcomes = await runBounded(tables, threads, async (table) => {
    const result = await loadTableBatch(table, step.interval, {
      warehouse,
      s3: runtime.s3(),
      staging: runtime.project.staging,
      rawSchema: runtime.project.rawSchema,
      acceptDeletes,
      signal,
    });
    logger.info(`loaded ${result.relation}`, { table: table.id, batch: result.batchId, rows: result.rows, seconds: +result.seconds.toFixed(2) });
    return result;
  });
  return throwFirstFailure(outcomes).reduce((sum, result) => sum + result.rows, 0);
}
