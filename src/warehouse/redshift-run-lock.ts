// The run lock on Redshift, which has no advisory locks: a lease row in pgshift_meta.run_lock,
// taken in one transaction that LOCKs that table first, so two runs asking at once queue and the
// second sees the first's row (https://docs.aws.amazon.com/redshift/latest/dg/r_LOCK.html: "LOCK
// … acquires a table-level lock … other transactions that attempt to access the table are
// queued"). The holder renews heartbeat_at while it runs; a lease whose heartbeat is older than
// the stale limit belonged to a run that died, and the next run takes it over; so is a lease
// whose holder ran on the same host and whose process no longer exists (no wait after a crash).
// Times come from the cluster's GETDATE() (UTC, https://docs.aws.amazon.com/redshift/latest/dg/r_GETDATE.html)
// so the clocks of the hosts that run pgshift never matter.

import { hostname } from 'node:os';
import { CancelledError, errorMessage } from '../errors.js';
import { logger } from '../log/logger.js';
import { META_SCHEMA } from '../batch/meta-schema.js';
import { describeHolder, type RunLock, type RunLockHolder, type RunLockRequest, RunLockTimeoutError, thisProcess } from './run-lock.js';
import type { Warehouse } from './warehouse.js';

export const RUN_LOCK_TABLE = `${META_SCHEMA}.run_lock`;

export interface RedshiftLeaseTiming {
  /** How often the holder renews its heartbeat. */
  readonly heartbeatMs: number;
  /** A heartbeat older than this means the holder is gone. */
  readonly staleAfterMs: number;
  /** Pause between attempts while another run holds the lease. */
  readonly retryMs: number;
}

export const DEFAULT_LEASE_TIMING: RedshiftLeaseTiming = { heartbeatMs: 30_000, staleAfterMs: 5 * 60_000, retryMs: 10_000 };

const CREATE_STATEMENTS = [
  `create schema if not exists ${META_SCHEMA}`,
  `create table if not exists ${RUN_LOCK_TABLE} (
  run_id varchar(64) not null,
  host varchar(256) not null,
  pid integer not null,
  started_at timestamp not null,
  heartbeat_at timestamp not null
)`,
];

interface LeaseRow {
  run_id: string;
  host: string;
  pid: number | string;
  started_at: string | Date;
}

export async function acquireRedshiftRunLock(
  warehouse: Warehouse,
  request: RunLockRequest,
  timing: RedshiftLeaseTiming = DEFAULT_LEASE_TIMING,
): Promise<RunLock> {
  const me = thisProcess();
  for (const sql of CREATE_STATEMENTS) await warehouse.execute(sql, [], { signal: request.signal });
  const deadline = Date.now() + request.timeoutMs;
  let waiting = false;
  for (;;) {
    const before = await currentLease(warehouse, request.signal);
    // A holder on this very host whose process is gone died without releasing: no need to wait
    // for its heartbeat to go stale (a rerun right after a crash would otherwise wait minutes).
    const dead = before && diedOnThisHost(before) ? before.runId : undefined;
    const [, stale, deadRemoved] = await warehouse.transaction(
      [
        { sql: `lock ${RUN_LOCK_TABLE}` },
        {
          sql: `delete from ${RUN_LOCK_TABLE} where heartbeat_at < dateadd(second, $1, getdate())`,
          params: [-Math.ceil(timing.staleAfterMs / 1000)],
        },
        { sql: `delete from ${RUN_LOCK_TABLE} where run_id = $1`, params: [dead ?? ''] },
        {
          sql: `insert into ${RUN_LOCK_TABLE} (run_id, host, pid, started_at, heartbeat_at)
                select $1, $2, $3, getdate(), getdate() where not exists (select 1 from ${RUN_LOCK_TABLE})`,
          params: [me.runId, me.host.slice(0, 256), me.pid],
        },
      ],
      { signal: request.signal },
    );
    const holder = await currentLease(warehouse, request.signal);
    if (holder?.runId === me.runId) {
      if ((deadRemoved?.rowCount ?? 0) > 0)
        logger.warn(`took over the run lock on target ${request.targetName} from ${describeHolder(before)}: its process is no longer running on this host`);
      else if ((stale?.rowCount ?? 0) > 0)
        logger.warn(`took over the run lock on target ${request.targetName} from ${describeHolder(before)}: its heartbeat had stopped`);
      return holdLease(warehouse, request.targetName, { ...me, startedAt: holder.startedAt ?? me.startedAt }, timing);
    }
    const remaining = deadline - Date.now();
    if (remaining <= 0) throw new RunLockTimeoutError(request.targetName, holder, request.timeoutMs);
    if (!waiting) request.onWait?.(holder);
    waiting = true;
    await pause(Math.min(timing.retryMs, remaining), request.signal);
  }
}

function holdLease(warehouse: Warehouse, targetName: string, holder: RunLock['holder'], timing: RedshiftLeaseTiming): RunLock {
  const heartbeat = setInterval(() => {
    warehouse
      .execute(`update ${RUN_LOCK_TABLE} set heartbeat_at = getdate() where run_id = $1`, [holder.runId])
      .then(({ rowCount }) => {
        if (rowCount === 0) logger.error(`the run lock on target ${targetName} was taken over by another run; this run's writes are no longer protected`);
      })
      .catch((error: unknown) => logger.warn(`renewing the run lock on target ${targetName} failed: ${errorMessage(error)}`));
  }, timing.heartbeatMs);
  heartbeat.unref();
  return {
    holder,
    async release() {
      clearInterval(heartbeat);
      await warehouse.execute(`delete from ${RUN_LOCK_TABLE} where run_id = $1`, [holder.runId]);
    },
  };
}

async function currentLease(warehouse: Warehouse, signal: AbortSignal | undefined): Promise<RunLockHolder | undefined> {
  const rows = await warehouse.query<LeaseRow>(`select run_id, host, pid, started_at from ${RUN_LOCK_TABLE}`, [], { signal });
  const row = rows[0];
  if (!row) return undefined;
  const startedAt = row.started_at instanceof Date ? row.started_at.toISOString() : String(row.started_at);
  return { runId: row.run_id, host: row.host, pid: Number(row.pid), startedAt };
}

/** The holder ran on this host (same host name) and no process with its pid exists any more. */
function diedOnThisHost(holder: RunLockHolder): boolean {
  const pid = holder.pid;
  if (holder.host !== hostname().slice(0, 256) || pid === undefined || pid === process.pid || !Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return false;
  } catch (error) {
    // EPERM: the process exists under another user, so it is alive.
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(new CancelledError('cancelled while waiting for the run lock'));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(new CancelledError('cancelled while waiting for the run lock'));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
