// `pgshift debug`: a table of checks of the configuration, every connection and the warehouse
// privileges, as `dbt debug` gives; exit 1 when one fails.

import type { Command } from 'commander';
import type { GlobalOptions } from '../api/runtime.js';
import { printCheckResults, timeoutOption } from './check-output.js';

export function registerDebugCommand(program: Command): void {
  program
    .command('debug')
    .description(
      'check the configuration, each connection (sources, S3, warehouse), the privileges pgshift needs and that the warehouse can COPY from the staging bucket',
    )
    .addOption(timeoutOption())
    .action(async (options: { timeout: number }, cmd: Command) => {
      const { debugProject } = await import('../api/diagnose.js');
      printCheckResults(await debugProject(cmd.optsWithGlobals<GlobalOptions>(), { timeoutSeconds: options.timeout }));
    });
}
