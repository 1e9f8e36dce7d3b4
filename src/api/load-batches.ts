// `load`: batches extracted earlier, for one interval, loaded into the raw schema.

import { chosenTargetName, requireCopyRole } from '../config/target.js';
import { describeInterval, intervalFromFlags, type IntervalFlags } from '../batch/interval.js';
import { selectTables } from '../extract/select-tables.js';
import { logger } from '../log/logger.js';
import { runBounded } from '../util/bounded-parallel.js';
import { throwFirstFailure } from '../util/outcomes.js';
import { openRuntime, type GlobalOptions } from './runtime.js';

export interface LoadOptions extends IntervalFlags {
  select: string[];
  exclude: string[];
  threads?: number;
}

export async function loadBatches(globals: GlobalOptions, options: LoadOptions, signal?: AbortSignal): Promise<{ tables: number; rows: number }> {
  const interval = intervalFromFlags(options);
  const runtime = await openRuntime(globals, options.threads);
  requireCopyRole(runtime.project, chosenTargetName(runtime.project, globals.target));
  const threads = options.threads ?? runtime.project.threads;
  const [{ loadTableBatch }, { openWarehouse }] = await Promise.all([import('../load/load-batch.js'), import('../warehouse/open-warehouse.js')]);
  const warehouse = await openWarehouse(runtime.target(), () => runtime.s3(), threads);
  try {
    const tables = selectTables(runtime.project.tables, options.select, options.exclude);
    logger.info(`load: ${tables.length} table(s) for ${describeInterval(interval)} into ${runtime.target().name}`, { threads });
    const outcomes = await runBounded(tables, threads, async (table) => {
      const result = await loadTableBatch(table, interval, {
        warehouse,
        s3: runtime.s3(),
        staging: runtime.project.staging,
        rawSchema: runtime.project.rawSchema,
        signal,
      });
      logger.info(`loaded ${result.relation}`, { table: table.id, batch: result.batchId, rows: result.rows, seconds: +result.seconds.toFixed(2) });
      return result;
    });
    const rows = throwFirstFailure(outcomes).reduce((sum, result) => sum + result.rows, 0);
    return { tables: tables.length, rows };
  } finally {
    await warehouse.close();
    await runtime.close();
  }
}
