// `load`: batches extracted earlier, for one interval, loaded into the raw schema.

import { chosenTargetName, requireCopyRole } from '../config/target.js';
import { describeInterval, type Interval, intervalFromFlags, type IntervalFlags } from '../batch/interval.js';
import { selectTables } from '../extract/select-tables.js';
import { logger } from '../log/logger.js';
import { runBounded } from '../util/bounded-parallel.js';
import { throwFirstFailure } from '../util/outcomes.js';
import type { Warehouse } from '../warehouse/warehouse.js';
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
  const interval = intervalFromFlags(options);
  const runtime = await openRuntime(globals, options.threads);
  requireCopyRole(runtime.project, chosenTargetName(runtime.project, globals.target));
  const threads = options.threads ?? runtime.project.threads;
  const { openWarehouse } = await import('../warehouse/open-warehouse.js');
  const warehouse = await openWarehouse(runtime.target(), () => runtime.s3(), threads);
  try {
    return await withRunLock(runtime.target(), warehouse, options.lockTimeout, signal, () =>
      loadSelected(runtime, warehouse, options, interval, threads, signal),
    );
  } finally {
    await warehouse.close();
    await runtime.close();
  }
}

async function loadSelected(
  runtime: Runtime,
  warehouse: Warehouse,
  options: LoadOptions,
  interval: Interval,
  threads: number,
  signal: AbortSignal | undefined,
): Promise<{ tables: number; rows: number }> {
  const { loadTableBatch } = await import('../load/load-batch.js');
  const tables = selectTables(runtime.project.tables, options.select, options.exclude);
  const acceptDeletes = acceptedDeletes(runtime.project, options.acceptDeletes);
  logger.info(`load: ${tables.length} table(s) for ${describeInterval(interval)} into ${runtime.target().name}`, { threads });
  const outcomes = await runBounded(tables, threads, async (table) => {
    const result = await loadTableBatch(table, interval, {
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
  const rows = throwFirstFailure(outcomes).reduce((sum, result) => sum + result.rows, 0);
  return { tables: tables.length, rows };
}
