// `pgshift load`: loads batches extracted earlier into the raw schema. (`pgshift run` extracts
// and loads as the source nodes of the project graph.) The loader is imported when the
// command runs, so other commands start without it.

import type { Command } from 'commander';
import type { LoadOptions } from '../api/load-batches.js';
import type { GlobalOptions } from '../api/runtime.js';
import { logger } from '../log/logger.js';
import { cancellationSignal } from './cancellation.js';
import { addIntervalOptions, addSelectionOptions, parseThreads } from './interval-options.js';
import { addLockTimeoutOption } from './lock-timeout-option.js';
import { addAcceptDeletesOption } from './accept-deletes-option.js';

export function registerLoadCommand(program: Command): void {
  const command = program.command('load').description('load extracted batches of an interval into the raw schema (refuses batches without a manifest)');
  addSelectionOptions(command);
  addIntervalOptions(command).option('--threads <n>', 'tables loaded at once (default: threads in pgshift.yml)', parseThreads);
  addAcceptDeletesOption(command);
  addLockTimeoutOption(command).action(async (options: LoadOptions, cmd: Command) => {
    const { loadBatches } = await import('../api/load-batches.js');
    const done = await loadBatches(cmd.optsWithGlobals<GlobalOptions>(), options, cancellationSignal());
    logger.info(`load done: ${done.tables} table(s), ${done.rows} rows loaded`);
  });
}
