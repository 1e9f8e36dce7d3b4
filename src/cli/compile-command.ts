// `pgshift compile`: every model and test rendered to target/compiled, and target/manifest.json.

import type { Command } from 'commander';
import type { GlobalOptions } from '../api/runtime.js';
import { logger } from '../log/logger.js';
import { addGraphOptions, type GraphOptions } from './graph-options.js';

export function registerCompileCommand(program: Command): void {
  addGraphOptions(program.command('compile').description('render every model and test to target/compiled and write target/manifest.json'), {
    execution: false,
  }).action(async (options: GraphOptions, cmd: Command) => {
    const { compileToTarget } = await import('../api/compile-stage.js');
    const written = await compileToTarget(cmd.optsWithGlobals<GlobalOptions>(), options);
    logger.info(`compiled ${written.nodes} node(s) and ${written.sources} source(s)`, { manifest: written.manifestPath, files: written.compiledFiles });
  });
}
