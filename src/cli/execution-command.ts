// What run, build, seed, snapshot and test share: the graph flags, one call to the pipeline API, and the
// exit code (1 when a node errored, 130 when cancelled).

import type { Command } from 'commander';
import type { RunCommand } from '../api/run-graph.js';
import type { GlobalOptions } from '../api/runtime.js';
import { cancellationSignal } from './cancellation.js';
import { addGraphOptions, addResourceTypeOptions, type GraphOptions } from './graph-options.js';

export function registerExecutionCommand(program: Command, command: Exclude<RunCommand, 'retry'>, description: string): void {
  const declared = addGraphOptions(program.command(command).description(description), { execution: true });
  // dbt has --resource-type on build, list and test; run gets it too, so `run --resource-type model` is dbt's run.
  if (command !== 'seed' && command !== 'snapshot') addResourceTypeOptions(declared);
  // dbt's --store-failures (https://docs.getdbt.com/reference/resource-configs/store_failures), where tests run.
  if (command === 'run' || command === 'build' || command === 'test') {
    declared.option('--store-failures', "keep each test's failing rows in <target schema>_dbt_test__audit, unless its config says otherwise");
  }
  // dbt's --empty (https://docs.getdbt.com/docs/build/empty-flag), on the commands that build models.
  if (command === 'run' || command === 'build') {
    declared.option('--empty', 'build models with their columns and no rows: ref() and source() read nothing; sources are not extracted');
  }
  declared.action(async (options: GraphOptions, cmd: Command) => {
    const { runGraph } = await import('../api/run-graph.js');
    const { tally } = await runGraph(command, cmd.optsWithGlobals<GlobalOptions>(), options, {
      signal: cancellationSignal(),
      lockTimeoutMs: options.lockTimeout,
    });
    setRunExitCode(tally.error);
  });
}

export function setRunExitCode(errors: number): void {
  if (cancellationSignal().aborted) process.exitCode = 130;
  else if (errors > 0) process.exitCode = 1;
}
