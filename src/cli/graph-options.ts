// Flags shared by the commands that work on the project graph (dbt's, where dbt has one).

import type { Command } from 'commander';
import { parseCliVars, type GraphOptions } from '../api/graph-options.js';
import { addIntervalOptions, addSelectionOptions, parseSlices, parseThreads } from './interval-options.js';
import { addLockTimeoutOption } from './lock-timeout-option.js';
import { addAcceptDeletesOption } from './accept-deletes-option.js';
import { addIndirectSelectionOption, addModelsAlias, addResourceTypeOptions } from './selection-flags.js';

export type { GraphOptions };

export function addGraphOptions(command: Command, { execution }: { execution: boolean }): Command {
  addModelsAlias(addSelectionOptions(command))
    .option('--selector <name>', 'a selector from selectors.yml')
    .option('--state <dir>', 'folder holding a previous manifest.json / run_results.json (state:modified, result:<status>)')
    .option('--vars <yaml-or-json>', "variables for var(), e.g. '{country: DE}'", parseCliVars)
    .option('--target-path <dir>', 'where compiled SQL, manifest.json and run_results.json go', 'target');
  addIntervalOptions(command);
  addIndirectSelectionOption(command);
  if (execution) {
    command
      .option('--threads <n>', 'nodes at once (default: threads in pgshift.yml)', parseThreads)
      .option('--slices <n|auto>', "ranges of each source table read at once under one snapshot (default: each table's slices, auto)", parseSlices)
      .option('--full-refresh', 'rebuild incremental models and seeds from scratch')
      .option('--fail-fast', 'stop starting nodes after the first error or failed test')
      .option('--defer', "refs to nodes this run does not build and the target lacks read --state's relations instead");
    addAcceptDeletesOption(command);
    addLockTimeoutOption(command);
  }
  return command;
}

export { addResourceTypeOptions };
