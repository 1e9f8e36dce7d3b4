// `retry`: what did not succeed in the last run — errored, failed, skipped, or never finished
// because the run was killed — run again with the same flags, vars, interval and target as
// that run. What did succeed is carried into the new run_results.json, so the file (and the
// after-run steps, the report among them) see the whole run.

import path from 'node:path';
import { ConfigError } from '../errors.js';
import { letsChildrenRun, type NodeResult, type NodeStatus } from '../run/node-status.js';
import type { RunCommand } from '../run/plan-run.js';
import { readRunResults, type RunResultsFile } from '../run/run-results.js';
import type { GraphOptions } from './graph-options.js';
import { runGraph, type RunGraphOptions, type RunProjectResult } from './run-graph.js';
import type { GlobalOptions } from './runtime.js';

const FINISHED: readonly string[] = ['success', 'error', 'skipped', 'pass', 'fail', 'warn'] satisfies NodeStatus[];

/** Undefined when the last run left nothing to retry. */
export async function retryLastRun(
  globals: GlobalOptions,
  targetPath: string,
  extra: Omit<RunGraphOptions, 'onlyIds' | 'retryOf'> = {},
): Promise<RunProjectResult | undefined> {
  const targetDir = path.resolve(globals.projectDir ?? '.', targetPath);
  const previous = await readRunResults(targetDir);
  if (!previous) throw new ConfigError(`retry: no ${path.join(targetDir, 'run_results.json')}; run pgshift run or build first`);
  const succeeded = (status: string) => FINISHED.includes(status) && letsChildrenRun(status as NodeStatus);
  // After-run steps (operation.*) are not nodes: they run again after any retry that runs, and
  // one that failed or never finished (a run killed during its grants) is reason enough to retry.
  const isStep = (id: string) => id.startsWith('operation.');
  const unfinished = previous.results.filter((result) => !succeeded(result.status));
  const again = unfinished.filter((result) => !isStep(result.unique_id)).map((result) => result.unique_id);
  if (again.length === 0 && !unfinished.some((result) => isStep(result.unique_id))) return undefined;
  const invocation = previous.metadata.invocation;
  const repeated: GraphOptions = {
    select: [...invocation.select],
    exclude: [...invocation.exclude],
    selector: invocation.selector,
    vars: { ...invocation.vars },
    fullRefresh: invocation.fullRefresh,
    failFast: invocation.failFast,
    threads: invocation.threads,
    empty: invocation.empty,
    storeFailures: invocation.storeFailures,
    ...(invocation.deferState ? { defer: true, state: invocation.deferState } : {}),
    targetPath,
    start: invocation.interval.start,
    end: invocation.interval.end,
    // The interval was accepted when that run began; repeating it is no new choice.
    allowOpenInterval: true,
  };
  const command = (invocation.retryOf ?? invocation.command) as RunCommand;
  const carried = previous.results.filter((result) => succeeded(result.status)).map(toNodeResult);
  return runGraph('retry', { ...globals, target: invocation.target }, repeated, { ...extra, onlyIds: again, retryOf: { command, carried } });
}

function toNodeResult(entry: RunResultsFile['results'][number]): NodeResult {
  const timing = entry.timing[0];
  return {
    uniqueId: entry.unique_id,
    status: entry.status as NodeStatus,
    startedAt: timing?.started_at ?? '',
    completedAt: timing?.completed_at ?? '',
    executionTime: entry.execution_time,
    ...(entry.rows_affected === null ? {} : { rowsAffected: entry.rows_affected }),
    ...(entry.failures === null ? {} : { failures: entry.failures }),
    ...(entry.message === null ? {} : { message: entry.message }),
  };
}
