// Every command that writes to the warehouse (run, build, seed, test, retry, load) holds the
// target's run lock while it works: a second one on the same target waits, at most
// --lock-timeout, saying for whom, then refuses with one line naming the holder.

import type { Target } from '../config/target.js';
import { logger } from '../log/logger.js';
import { acquireRunLock } from '../warehouse/acquire-run-lock.js';
import { describeHolder, type RunLock } from '../warehouse/run-lock.js';
import type { Warehouse } from '../warehouse/warehouse.js';

export const DEFAULT_LOCK_TIMEOUT_MS = 10 * 60_000;

export function holdRunLock(target: Target, warehouse: Warehouse, timeoutMs: number | undefined, signal?: AbortSignal): Promise<RunLock> {
  const bound = timeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
  return acquireRunLock(target, warehouse, {
    targetName: target.name,
    timeoutMs: bound,
    signal,
    onWait: (holder) => logger.info(`waiting for ${describeHolder(holder)} on target ${target.name} to finish (at most ${bound / 1000}s, --lock-timeout)`),
  });
}

/** Runs `work` holding the run lock, and lets go of it however `work` ends. */
export async function withRunLock<T>(
  target: Target,
  warehouse: Warehouse,
  timeoutMs: number | undefined,
  signal: AbortSignal | undefined,
  work: () => Promise<T>,
): Promise<T> {
  const lock = await holdRunLock(target, warehouse, timeoutMs, signal);
  try {
    return await work();
  } finally {
    await lock.release().catch((error: unknown) => logger.warn(`releasing the run lock on target ${target.name} failed: ${String(error)}`));
  }
}
