// The run lock: one pgshift command at a time writes to a warehouse database, so two runs of the
// same day never load a batch twice and never meet each other's helper tables. Each warehouse
// keeps it its own way (postgres-run-lock.ts, redshift-run-lock.ts); this is the contract.

import os from 'node:os';
import { randomUUID } from 'node:crypto';
import { PgshiftError } from '../errors.js';

/** Who holds the lock, as far as the warehouse knows. */
export interface RunLockHolder {
  readonly runId?: string;
  readonly host?: string;
  readonly pid?: number;
  readonly startedAt?: string;
}

export interface RunLockRequest {
  /** The target's name, for messages. */
  readonly targetName: string;
  /** How long to wait for another run to finish; 0 means do not wait. */
  readonly timeoutMs: number;
  /** Called once when the lock is held by someone else and this command starts waiting. */
  readonly onWait?: (holder: RunLockHolder | undefined) => void;
  readonly signal?: AbortSignal;
}

export interface RunLock {
  readonly holder: Required<Pick<RunLockHolder, 'runId' | 'host' | 'pid' | 'startedAt'>>;
  release(): Promise<void>;
}

/** This process as a lock holder. */
export function thisProcess(): RunLock['holder'] {
  return { runId: randomUUID(), host: os.hostname(), pid: process.pid, startedAt: new Date().toISOString() };
}

export function describeHolder(holder: RunLockHolder | undefined): string {
  if (!holder) return 'another run';
  const parts = [holder.startedAt && `started ${holder.startedAt}`, holder.host && `host ${holder.host}`, holder.pid !== undefined && `pid ${holder.pid}`];
  const details = parts.filter(Boolean).join(', ');
  return `${holder.runId ? `run ${holder.runId}` : 'a run'}${details ? ` (${details})` : ''}`;
}

/** Another run held the lock for longer than --lock-timeout. */
export class RunLockTimeoutError extends PgshiftError {
  override name = 'RunLockTimeoutError';
  constructor(targetName: string, holder: RunLockHolder | undefined, timeoutMs: number) {
    const waited =
      timeoutMs > 0
        ? `, still running after ${timeoutMs / 1000}s; wait for it to finish or raise --lock-timeout`
        : '; wait for it to finish, or pass --lock-timeout <duration> (e.g. 30m) to wait for it';
    super(
      'RUN_LOCKED',
      // A holder that died lets go by itself: its session ends (PostgreSQL) or its heartbeat goes stale (Redshift).
      `target ${targetName} is locked by ${describeHolder(holder)}${waited} (a run that died releases the lock by itself)`,
      { target: targetName, holder: holder?.runId },
    );
  }
}
