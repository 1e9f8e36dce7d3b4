// `pgshift retry`: the last run's nodes that did not succeed (errored, failed, skipped, or left
// unfinished by a run that was killed), run again as that run was.

import type { Command } from 'commander';
import type { GlobalOptions } from '../api/runtime.js';
import { logger } from '../log/logger.js';
import { cancellationSignal } from './cancellation.js';
import { setRunExitCode } from './execution-command.js';
import { addLockTimeoutOption } from './lock-timeout-option.js';

export function registerRetryCommand(program: Command): void {
  const command = program
    .command('retry')
    .description('run again what errored, failed, was skipped or did not finish in the last run, with the same flags, vars and interval')
    .option('--target-path <dir>', 'where the last run_results.json is', 'target');
  addLockTimeoutOption(command).action(async (options: { targetPath: string; lockTimeout?: number }, cmd: Command) => {
    const { retryLastRun } = await import('../api/retry.js');
    const result = await retryLastRun(cmd.optsWithGlobals<GlobalOptions>(), options.targetPath, {
      signal: cancellationSignal(),
      lockTimeoutMs: options.lockTimeout,
    });
    if (!result) {
      logger.info('retry: the last run had no errors, failures or skipped nodes; nothing to do');
      return;
    }
    setRunExitCode(result.tally.error);
  });
}
