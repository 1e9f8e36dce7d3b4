// `pgshift clean`: removes target/ (or --target-path) and dbt_packages/ inside the project.

import type { Command } from 'commander';
import type { GlobalOptions } from '../api/runtime.js';
import { logger } from '../log/logger.js';

export function registerCleanCommand(program: Command): void {
  program
    .command('clean')
    .description('remove target/ (or --target-path) and dbt_packages/ from the project directory')
    .option('--target-path <dir>', 'the folder compile and run write to', 'target')
    .action(async (options: { targetPath: string }, cmd: Command) => {
      const { cleanProject } = await import('../api/clean-project.js');
      const globals = cmd.optsWithGlobals<GlobalOptions>();
      const { removed } = await cleanProject(globals.projectDir ?? '.', options.targetPath);
      logger.info(removed.length > 0 ? `removed ${removed.join(', ')}` : 'nothing to clean');
    });
}
