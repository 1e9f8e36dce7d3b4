// `pgshift extract`: streams the selected source tables for one interval to S3.

import type { Command } from 'commander';
import type { ExtractOptions } from '../api/extract-batches.js';
import type { GlobalOptions } from '../api/runtime.js';
import { logger } from '../log/logger.js';
import { cancellationSignal } from './cancellation.js';
import { addIntervalOptions, addSelectionOptions, parseSlices, parseThreads } from './interval-options.js';

export function registerExtractCommand(program: Command): void {
  const command = program.command('extract').description('stream source tables for an interval: COPY → gzip → S3 part files + batch.json + manifest.json');
  addSelectionOptions(command);
  addIntervalOptions(command)
    .option('--threads <n>', 'tables extracted at once (default: threads in pgshift.yml)', parseThreads)
    .option('--slices <n|auto>', "ranges of each table read at once under one snapshot (default: each table's slices, auto)", parseSlices)
    .option('--dry-run', 'stream and compress but upload nothing (measures the source side)')
    .action(async (options: ExtractOptions, cmd: Command) => {
      const { extractBatches } = await import('../api/extract-batches.js');
      const done = await extractBatches(cmd.optsWithGlobals<GlobalOptions>(), options, cancellationSignal());
      logger.info(`extract done: ${done.tables} table(s), ${done.rows} rows`);
    });
}
