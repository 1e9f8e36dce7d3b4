import { describe, expect, it } from 'vitest';
import { scheduleGraph } from '../../src/run/graph-scheduler.js';
import type { NodeOutcome } from '../../src/run/node-status.js';

// a → b → d, a → c (independent of b), e alone
const parents: Record<string, string[]> = { a: [], b: ['a'], c: ['a'], d: ['b'], e: [] };
const order = ['a', 'e', 'b', 'c', 'd'];

function run(outcomes: Record<string, NodeOutcome | Error>, threads = 2, extra: { failFast?: boolean; signal?: AbortSignal } = {}) {
  const started: string[] = [];
  let concurrent = 0;
  let maxConcurrent = 0;
  const results = scheduleGraph({
    order,
    parentsOf: (id) => parents[id]!,
    threads,
    ...extra,
    execute: async (id) => {
      started.push(id);
      concurrent += 1;
      maxConcurrent = Math.max(maxConcurrent, concurrent);
      await new Promise((resolve) => setTimeout(resolve, 5));
      concurrent -= 1;
      const outcome = outcomes[id] ?? { status: 'success' };
      if (outcome instanceof Error) throw outcome;
      return outcome;
    },
  });
  return results.then((list) => ({ byId: Object.fromEntries(list.map((result) => [result.uniqueId, result])), started, maxConcurrent }));
}

describe('scheduleGraph', () => {
  it('runs every node after its parents, with at most `threads` at once', async () => {
    const { byId, started, maxConcurrent } = await run({}, 2);
    expect(Object.values(byId).every((result) => result.status === 'success')).toBe(true);
    expect(started.indexOf('a')).toBeLessThan(started.indexOf('b'));
    expect(started.indexOf('b')).toBeLessThan(started.indexOf('d'));
    expect(maxConcurrent).toBe(2);
  });

  it('skips the descendants of a failing node, naming it, and lets independent branches finish', async () => {
    const { byId, started } = await run({ b: new Error('relation "x" does not exist') });
    expect(byId.b).toMatchObject({ status: 'error', message: 'relation "x" does not exist' });
    expect(byId.d).toMatchObject({ status: 'skipped', message: 'skipped because b errored' });
    expect(byId.c!.status).toBe('success');
    expect(byId.e!.status).toBe('success');
    expect(started).not.toContain('d');
  });

  it('treats a failed test like an error and a warning like a pass', async () => {
    const failed = await run({ b: { status: 'fail', failures: 3 } });
    expect(failed.byId.d).toMatchObject({ status: 'skipped', message: 'skipped because b failed' });
    const warned = await run({ b: { status: 'warn', failures: 3 } });
    expect(warned.byId.d!.status).toBe('success');
  });

  it('stops starting nodes after the first error with failFast', async () => {
    const { byId } = await run({ a: new Error('boom') }, 1, { failFast: true });
    expect(byId.e).toMatchObject({ status: 'skipped', message: 'skipped: --fail-fast: stopped after a errored' });
  });

  it('marks everything not yet started as skipped when cancelled', async () => {
    const controller = new AbortController();
    controller.abort();
    const { byId, started } = await run({}, 2, { signal: controller.signal });
    expect(started).toEqual([]);
    expect(byId.a).toMatchObject({ status: 'skipped', message: 'skipped: the run was cancelled' });
  });
});
