// Runs the nodes of a DAG with up to `threads` at once. A node starts as soon as all its
// parents have let it (success, pass or warn); a parent that errored, failed or was skipped
// makes it SKIPPED, naming that parent, while independent branches go on. An abort stops
// new nodes from starting and marks them skipped. A node may settle others it decided while it
// ran (a model's audited tests): they are recorded as finished with it, never run again.

import { CancelledError, errorMessage } from '../errors.js';
import { letsChildrenRun, type NodeOutcome, type NodeResult } from './node-status.js';

export interface ScheduleOptions {
  /** Node ids, parents before children. */
  readonly order: readonly string[];
  /** Parents among the scheduled nodes (others are taken as done). */
  readonly parentsOf: (id: string) => readonly string[];
  readonly threads: number;
  readonly execute: (id: string) => Promise<NodeOutcome>;
  readonly signal?: AbortSignal;
  readonly onStart?: (id: string) => void;
  readonly onFinish?: (result: NodeResult) => void;
  /** Stop scheduling after the first error or failure (--fail-fast). */
  readonly failFast?: boolean;
}

export async function scheduleGraph(options: ScheduleOptions): Promise<NodeResult[]> {
  const scheduled = new Set(options.order);
  const results = new Map<string, NodeResult>();
  const waiting = new Set(options.order);
  const running = new Map<string, Promise<void>>();
  let stopReason: string | undefined;

  const finish = (result: NodeResult) => {
    results.set(result.uniqueId, result);
    options.onFinish?.(result);
    if (options.failFast && !letsChildrenRun(result.status) && result.status !== 'skipped')
      stopReason ??= `--fail-fast: stopped after ${result.uniqueId} ${result.status === 'fail' ? 'failed' : 'errored'}`;
  };
  const skip = (id: string, message: string) => {
    const now = new Date().toISOString();
    finish({ uniqueId: id, status: 'skipped', message, startedAt: now, completedAt: now, executionTime: 0 });
  };

  const start = (id: string) => {
    waiting.delete(id);
    options.onStart?.(id);
    const startedAt = new Date();
    const work = options
      .execute(id)
      .catch((error: unknown): NodeOutcome => ({ status: 'error', message: error instanceof CancelledError ? 'cancelled' : errorMessage(error) }))
      .then(({ settles, ...outcome }) => {
        const completedAt = new Date();
        const times = { startedAt: startedAt.toISOString(), completedAt: completedAt.toISOString() };
        finish({ ...outcome, uniqueId: id, ...times, executionTime: (completedAt.getTime() - startedAt.getTime()) / 1000 });
        for (const settled of settles ?? []) {
          if (!waiting.has(settled.uniqueId)) continue;
          waiting.delete(settled.uniqueId);
          options.onStart?.(settled.uniqueId);
          const { settles: _nested, ...decided } = settled.outcome;
          finish({ ...decided, uniqueId: settled.uniqueId, ...times, executionTime: 0 });
        }
        running.delete(id);
      });
    running.set(id, work);
  };

  for (;;) {
    let progressed = false;
    for (const id of options.order) {
      if (!waiting.has(id)) continue;
      if (options.signal?.aborted || stopReason) {
        waiting.delete(id);
        skip(id, options.signal?.aborted ? 'skipped: the run was cancelled' : `skipped: ${stopReason}`);
        progressed = true;
        continue;
      }
      const parents = options.parentsOf(id).filter((parent) => scheduled.has(parent));
      const blocking = parents.map((parent) => results.get(parent)).find((result) => result && !letsChildrenRun(result.status));
      if (blocking) {
        waiting.delete(id);
        skip(id, `skipped because ${blocking.uniqueId} ${describe(blocking.status)}`);
        progressed = true;
        continue;
      }
      if (parents.every((parent) => results.has(parent)) && running.size < options.threads) {
        start(id);
        progressed = true;
      }
    }
    if (waiting.size === 0 && running.size === 0) break;
    if (!progressed || running.size >= options.threads || waiting.size === 0) {
      if (running.size === 0) throw new Error(`scheduler stalled with ${waiting.size} node(s) waiting: ${[...waiting].slice(0, 3).join(', ')}`);
      await Promise.race(running.values());
    }
  }
  return options.order.map((id) => results.get(id)!);
}

function describe(status: string): string {
  return status === 'skipped' ? 'was skipped' : status === 'fail' ? 'failed' : 'errored';
}
