// `extract`: the selected source tables streamed to S3 as batches, for each day the command
// processes (see command-days.ts). Extracting needs no warehouse, but the target's
// pgshift_meta.batches says where each table resumes and whether its first extract reads every
// row; when the target cannot be read, a run without --date extracts yesterday, windowed as
// usual, and says so.

import { chosenTargetName, requireCopyRole } from '../config/target.js';
import type { TableHistory } from '../batch/day-plan.js';
import { describeInterval, intervalFromFlags, type IntervalFlags } from '../batch/interval.js';
import { refuseParentWithChild } from '../extract/inheritance-overlap.js';
import { hasIntervalFlags } from '../batch/day-plan.js';
import type { SourceTable } from '../config/project.js';
import { errorMessage } from '../errors.js';
import { selectTables } from '../extract/select-tables.js';
import { logger } from '../log/logger.js';
import { throwFirstFailure } from '../util/outcomes.js';
import { FailedDaysError, forEachDay, planCommandDays } from './command-days.js';
import { openRuntime, type GlobalOptions, type Runtime } from './runtime.js';

export interface ExtractOptions extends IntervalFlags {
  select: string[];
  exclude: string[];
  threads?: number;
  /** --slices: every selected table's `slices:` for this command. */
  slices?: number | 'auto';
  dryRun?: boolean;
}

export async function extractBatches(globals: GlobalOptions, options: ExtractOptions, signal?: AbortSignal): Promise<{ tables: number; rows: number }> {
  intervalFromFlags(options);
  const runtime = await openRuntime(globals, options.threads, options.slices);
  try {
    // Batches extracted for Redshift are loaded with COPY; without its role they would be stranded.
    // A dry run uploads nothing, so nothing waits for a COPY.
    if (!options.dryRun) requireCopyRole(runtime.project, chosenTargetName(runtime.project, globals.target));
    const tables = selectTables(runtime.project.tables, options.select, options.exclude);
    await refuseParentWithChild(tables, runtime.project.tables, (table) => runtime.sourcePool(table));
    const threads = options.threads ?? runtime.project.threads;
    const days = planCommandDays(runtime.project, options, tables, await historyOrAssumeLoaded(runtime, options, tables, signal));
    const { extractTables } = await import('../extract/extract-tables.js');
    let rows = 0;
    const outcomes = await forEachDay(days, options.continueAfterFailedDay, async (step) => {
      const due = tables.filter((table) => step.tables.has(table.id));
      logger.info(`extracting ${due.length} table(s) for ${describeInterval(step.interval)}${options.dryRun ? ' (dry run)' : ''}`, { threads });
      const results = await extractTables({
        tables: due,
        interval: step.interval,
        sourcePoolFor: (table) => runtime.sourcePool(table),
        s3: runtime.s3(),
        staging: runtime.project.staging,
        threads,
        dryRun: options.dryRun,
        signal,
        // Values a Redshift raw table cannot hold are found before anything is uploaded.
        valueLimits: targetType(runtime) === 'redshift' ? 'redshift' : undefined,
        fromBeginning: step.fromBeginning,
      });
      rows += throwFirstFailure(results).reduce((sum, result) => sum + result.rows, 0);
      return { value: undefined, failed: false };
    });
    const failed = outcomes.filter((outcome) => outcome.failed).map((outcome) => outcome.step.label);
    if (failed.length > 0) throw new FailedDaysError(failed);
    return { tables: tables.length, rows };
  } finally {
    await runtime.close();
  }
}

/**
 * pgshift_meta.batches on the target. Unreadable (no warehouse settings, not reachable): every
 * table is taken as loaded before, so nothing is read from its beginning and a run without
 * --date extracts yesterday.
 */
async function historyOrAssumeLoaded(
  runtime: Runtime,
  flags: IntervalFlags,
  tables: readonly SourceTable[],
  signal: AbortSignal | undefined,
): Promise<ReadonlyMap<string, TableHistory>> {
  try {
    const { openWarehouse } = await import('../warehouse/open-warehouse.js');
    const { readBatchHistory } = await import('../load/batch-history.js');
    const warehouse = await openWarehouse(runtime.target(), () => runtime.s3(), 1);
    try {
      return await readBatchHistory(warehouse, signal);
    } finally {
      await warehouse.close();
    }
  } catch (error) {
    signal?.throwIfAborted();
    const days = hasIntervalFlags(flags) ? 'the interval given' : 'yesterday only';
    logger.warn(
      `extract: cannot read pgshift_meta.batches on the target (${errorMessage(error)}); extracting ${days}, each table with its usual window, as if loaded before`,
    );
    return new Map(tables.map((table) => [table.id, { anyLoaded: true }]));
  }
}

/** The target's dialect, when the target resolves; extracting alone needs no warehouse settings. */
function targetType(runtime: { targetSpec(): { type: string } }): string | undefined {
  try {
    return runtime.targetSpec().type;
  } catch {
    return undefined;
  }
}
