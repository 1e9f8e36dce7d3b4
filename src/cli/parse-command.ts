// `pgshift parse`: read and check the project, write target/manifest.json, connect to nothing
// (https://docs.getdbt.com/reference/commands/parse).

import type { Command } from 'commander';
import { parseCliVars } from '../api/graph-options.js';
import type { GlobalOptions } from '../api/runtime.js';
import { logger } from '../log/logger.js';

export function registerParseCommand(program: Command): void {
  program
    .command('parse')
    .description('read and check the project (YAML, Jinja, refs, configs) and write target/manifest.json; needs no connection')
    .option('--vars <yaml-or-json>', "variables for var(), e.g. '{country: DE}'", parseCliVars)
    .option('--target-path <dir>', 'where manifest.json goes', 'target')
    .action(async (options: { vars?: Record<string, unknown>; targetPath?: string }, cmd: Command) => {
      const { parseProject } = await import('../api/parse-project.js');
      const parsed = await parseProject(cmd.optsWithGlobals<GlobalOptions>(), options);
      logger.info(parsed.summary);
      logger.info(`wrote ${parsed.manifestPath} in ${parsed.seconds.toFixed(2)} s`, { manifest: parsed.manifestPath });
    });
}
