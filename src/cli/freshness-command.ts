// `pgshift freshness`: one line per source with freshness thresholds; exit 1 past error_after.

import type { Command } from 'commander';
import type { GlobalOptions } from '../api/runtime.js';
import { logger } from '../log/logger.js';
import { addGraphOptions, type GraphOptions } from './graph-options.js';

export function registerFreshnessCommand(program: Command): void {
  addGraphOptions(program.command('freshness').description("check how recent each source's newest loaded row is (warn_after / error_after in schema.yml)"), {
    execution: false,
  }).action(async (options: GraphOptions, cmd: Command) => {
    const { sourceFreshness } = await import('../api/freshness.js');
    const results = await sourceFreshness(cmd.optsWithGlobals<GlobalOptions>(), options);
    for (const result of results) {
      const line = `${result.status.toUpperCase()} ${result.uniqueId}: ${result.message}`;
      if (result.status === 'pass') logger.info(line);
      else if (result.status === 'warn') logger.warn(line);
      else logger.error(line);
    }
    if (results.length === 0) logger.warn('no selected source declares freshness (loaded_at_field + warn_after/error_after in schema.yml)');
    if (results.some((result) => result.status === 'error' || result.status === 'runtime error')) process.exitCode = 1;
  });
}
