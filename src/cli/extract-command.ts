// `pgshift extract`: streams the selected source tables for one interval to S3.

import type { Command } from 'commander';
import { describeInterval, intervalFromFlags, type IntervalFlags } from '../extract/interval.js';
import { selectTables } from '../extract/select-tables.js';
import { logger } from '../log/logger.js';
import { cancellationSignal } from './cancellation.js';
import { throwFirstFailure } from '../run/outcomes.js';
import { addIntervalOptions, addSelectionOptions, parseThreads } from './interval-options.js';
import { openRuntime, type GlobalOptions } from './runtime.js';

interface ExtractOptions extends IntervalFlags {
  select: string[];
  exclude: string[];
  threads?: number;
  dryRun?: boolean;
}

export function registerExtractCommand(program: Command): void {
  const command = program
    .command('extract')
    .description('stream source tables for an interval: COPY → gzip → S3 part files + batch.json + manifest.json');
  addSelectionOptions(command);
  addIntervalOptions(command)
    .option('--threads <n>', 'tables extracted at once (default: threads in pgshift.yml)', parseThreads)
    .option('--dry-run', 'stream and compress but upload nothing (measures the source side)')
    .action(async (options: ExtractOptions, cmd: Command) => {
      const globals = cmd.optsWithGlobals<GlobalOptions>();
      const interval = intervalFromFlags(options);
      const runtime = await openRuntime(globals, options.threads);
      try {
        const tables = selectTables(runtime.project.tables, options.select, options.exclude);
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
          signal: cancellationSignal(),
          valueLimits: targetType(runtime) === 'redshift' ? 'redshift' : undefined,
        });
        const rows = throwFirstFailure(outcomes).reduce((sum, result) => sum + result.rows, 0);
        logger.info(`extract done: ${tables.length} table(s), ${rows} rows`);
      } finally {
        await runtime.close();
      }
    });
}


/** The target's type, when one resolves; extracting alone needs no warehouse credentials. */
function targetType(runtime: { target(): { type: string } }): string | undefined {
  try {
    return runtime.target().type;
  } catch {
    return undefined;
  }
}
