// `pgshift smoke`: a bounded end-to-end proof on the target, in a scratch schema dropped
// afterwards; a pass/fail line per check and the AWS page to read when one fails.

import type { Command } from 'commander';
import type { GlobalOptions } from '../api/runtime.js';
import { printCheckResults, timeoutOption } from './check-output.js';

export function registerSmokeCommand(program: Command): void {
  program
    .command('smoke')
    .description('extract, load and compare an every-type table, swap a table under a view and grant to a scratch role, in a scratch schema removed afterwards')
    .option('--source <name>', 'source whose database holds the temporary test table (default: the first)')
    .addOption(timeoutOption())
    .action(async (options: { source?: string; timeout: number }, cmd: Command) => {
      const { smokeTarget } = await import('../api/diagnose.js');
      printCheckResults(await smokeTarget(cmd.optsWithGlobals<GlobalOptions>(), { source: options.source, timeoutSeconds: options.timeout }));
    });
}
