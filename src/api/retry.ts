// `retry`: what errored, failed or was skipped in the last run, run again with the same
// flags, vars, interval and target as that run.

import path from 'node:path';
import { ConfigError } from '../errors.js';
import { readRunResults } from '../run/run-results.js';
import type { GraphOptions } from './graph-options.js';
import { runGraph, type RunGraphOptions, type RunProjectResult } from './run-graph.js';
import type { GlobalOptions } from './runtime.js';

/** Undefined when the last run left nothing to retry. */
export async function retryLastRun(
  globals: GlobalOptions,
  targetPath: string,
  extra: Omit<RunGraphOptions, 'onlyIds'> = {},
): Promise<RunProjectResult | undefined> {
  const targetDir = path.resolve(globals.projectDir ?? '.', targetPath);
  const previous = await readRunResults(targetDir);
  if (!previous) throw new ConfigError(`retry: no ${path.join(targetDir, 'run_results.json')}; run pgshift run or build first`);
  const again = previous.results.filter((result) => ['error', 'fail', 'skipped'].includes(result.status)).map((result) => result.unique_id);
  if (again.length === 0) return undefined;
  const invocation = previous.metadata.invocation;
  const repeated: GraphOptions = {
    select: [...invocation.select],
    exclude: [...invocation.exclude],
    selector: invocation.selector,
    vars: { ...invocation.vars },
    fullRefresh: invocation.fullRefresh,
    failFast: invocation.failFast,
    threads: invocation.threads,
    targetPath,
    start: invocation.interval.start,
    end: invocation.interval.end,
    // The interval was accepted when that run began; repeating it is no new choice.
    allowOpenInterval: true,
  };
  return runGraph('retry', { ...globals, target: invocation.target }, repeated, { ...extra, onlyIds: again });
}
