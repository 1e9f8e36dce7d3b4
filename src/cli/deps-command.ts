// `pgshift deps`: installs packages.yml's packages into dbt_packages/ and writes package-lock.yml.

import type { Command } from 'commander';
import type { GlobalOptions } from '../api/runtime.js';
import { logger } from '../log/logger.js';

export function registerDepsCommand(program: Command): void {
  program
    .command('deps')
    .description('install the packages of packages.yml (git: and local:) into dbt_packages/ and write package-lock.yml')
    .option('--upgrade', "fetch each git package's revision anew instead of the commit package-lock.yml pinned")
    .action(async (options: { upgrade?: boolean }, cmd: Command) => {
      const { installDependencies } = await import('../api/install-dependencies.js');
      const result = await installDependencies(cmd.optsWithGlobals<GlobalOptions>(), { upgrade: options.upgrade === true });
      if (result.installed.length === 0) {
        logger.info('no packages to install: the project has no packages.yml or dependencies.yml listing any');
        return;
      }
      for (const entry of result.installed) {
        logger.info(`installed ${entry.name} from ${entry.source}${entry.commit ? ` at ${entry.commit.slice(0, 12)}` : ''}`);
      }
      logger.info(`installed ${result.installed.length} package(s) into ${result.installPath}/ and wrote package-lock.yml`);
    });
}
