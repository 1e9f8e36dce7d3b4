// `extract`: the selected source tables of one interval streamed to S3 as batches.

import { chosenTargetName, requireCopyRole } from '../config/target.js';
import { describeInterval, intervalFromFlags, type IntervalFlags } from '../batch/interval.js';
import { refuseParentWithChild } from '../extract/inheritance-overlap.js';
import { selectTables } from '../extract/select-tables.js';
import { logger } from '../log/logger.js';
import { throwFirstFailure } from '../util/outcomes.js';
import { openRuntime, type GlobalOptions } from './runtime.js';

export interface ExtractOptions extends IntervalFlags {
  select: string[];
  exclude: string[];
  threads?: number;
  dryRun?: boolean;
}

export async function extractBatches(globals: GlobalOptions, options: ExtractOptions, signal?: AbortSignal): Promise<{ tables: number; rows: number }> {
  const interval = intervalFromFlags(options);
  const runtime = await openRuntime(globals, options.threads);
  try {
    // Batches extracted for Redshift are loaded with COPY; without its role they would be stranded.
    // A dry run uploads nothing, so nothing waits for a COPY.
    if (!options.dryRun) requireCopyRole(runtime.project, chosenTargetName(runtime.project, globals.target));
    const tables = selectTables(runtime.project.tables, options.select, options.exclude);
    await refuseParentWithChild(tables, runtime.project.tables, (table) => runtime.sourcePool(table));
    const threads = options.threads ?? runtime.project.threads;
    logger.info(`extracting ${tables.length} table(s) for ${describeInterval(interval)}${options.dryRun ? ' (dry run)' : ''}`, { threads });
    const { extractTables } = await import('../extract/extract-tables.js');
    const outcomes = await extractTables({
      tables,
      interval,
      sourcePoolFor: (table) => runtime.sourcePool(table),
      s3: runtime.s3(),
      staging: runtime.project.staging,
      threads,
      dryRun: options.dryRun,
      signal,
      // Values a Redshift raw table cannot hold are found before anything is uploaded.
      valueLimits: targetType(runtime) === 'redshift' ? 'redshift' : undefined,
    });
    const rows = throwFirstFailure(outcomes).reduce((sum, result) => sum + result.rows, 0);
    return { tables: tables.length, rows };
  } finally {
    await runtime.close();
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
