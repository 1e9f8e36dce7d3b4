// `pgshift run-operation <macro> [--args '{…}']`: calls one macro with execute true, as dbt's
// run-operation does; what it returns is printed on stdout, its log() lines on the log.

import type { Command } from 'commander';
import { parseCliVars } from '../api/graph-options.js';
import type { GlobalOptions } from '../api/runtime.js';
import { logger } from '../log/logger.js';
import { cancellationSignal } from './cancellation.js';
import { addLockTimeoutOption } from './lock-timeout-option.js';

interface RunOperationFlags {
  readonly args?: string;
  readonly vars?: Record<string, unknown>;
  readonly lockTimeout?: number;
}

export function registerRunOperationCommand(program: Command): void {
  addLockTimeoutOption(
    program
      .command('run-operation')
      .description("call a macro (the project's or `package.macro`) with execute true; what it runs through run_query() runs in the warehouse")
      .argument('<macro>', 'the macro to call: grant_select, or my_package.grant_select')
      .option('--args <yaml>', "the macro's keyword arguments as a YAML mapping, e.g. '{role: reporter}'")
      .option('--vars <yaml-or-json>', "variables for var(), e.g. '{country: DE}'", parseCliVars),
  ).action(async (macro: string, options: RunOperationFlags, cmd: Command) => {
    const { parseOperationArgs, runOperation } = await import('../api/run-operation.js');
    const args = options.args === undefined ? {} : parseOperationArgs(options.args);
    const result = await runOperation(cmd.optsWithGlobals<GlobalOptions>(), macro, {
      args,
      vars: options.vars,
      lockTimeoutMs: options.lockTimeout,
      signal: cancellationSignal(),
    });
    if (result.returned !== undefined) process.stdout.write(`${result.returned}\n`);
    logger.info(`run-operation ${macro}: done`);
  });
}
