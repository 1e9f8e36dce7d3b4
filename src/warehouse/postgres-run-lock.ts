// The run lock on a PostgreSQL warehouse: a session-level advisory lock on a connection of its
// own, held for the command's lifetime. The server releases it when that session ends, so a run
// that crashes or is killed never leaves the lock behind.
// https://www.postgresql.org/docs/15/explicit-locking.html#ADVISORY-LOCKS
// https://www.postgresql.org/docs/15/functions-admin.html#FUNCTIONS-ADVISORY-LOCKS

import type pg from 'pg';
import { getPostgresConn, type PostgresConnOptions } from '../connections.js';
import { CancelledError, errorMessage, WarehouseError } from '../errors.js';
import { logger } from '../log/logger.js';
import { backendPid } from '../util/postgres-sessions.js';
import { type RunLock, type RunLockHolder, type RunLockRequest, RunLockTimeoutError, thisProcess } from './run-lock.js';

/** 'pgshftlk' as a 64-bit number: the one key pgshift locks in each warehouse database. */
export const RUN_LOCK_KEY = 8099569347081825387n;
// pg_locks shows a bigint key split in two: classid the high 32 bits, objid the low, objsubid 1.
const KEY_HIGH = Number(RUN_LOCK_KEY >> 32n);
const KEY_LOW = Number(RUN_LOCK_KEY & 0xffffffffn);
const APPLICATION_PREFIX = 'pgshift run lock';
/** SQLSTATE lock_not_available: what lock_timeout raises. */
const LOCK_NOT_AVAILABLE = '55P03';

export async function acquirePostgresRunLock(connection: PostgresConnOptions, request: RunLockRequest): Promise<RunLock> {
  const holder = thisProcess();
  // application_name carries the holder (host, pid) to pg_stat_activity, where a waiting run reads
  // it; PostgreSQL keeps 63 bytes of it.
  const pool = getPostgresConn({ ...connection, max: 2, applicationName: `${APPLICATION_PREFIX} ${holder.pid}@${holder.host}`.slice(0, 63) });
  let client: pg.PoolClient | undefined;
  try {
    client = await pool.connect();
    const { rows } = await client.query<{ locked: boolean }>('select pg_try_advisory_lock($1::bigint) as locked', [RUN_LOCK_KEY.toString()]);
    if (!rows[0]?.locked) {
      const other = await currentHolder(client);
      if (request.timeoutMs <= 0) throw new RunLockTimeoutError(request.targetName, other, 0);
      request.onWait?.(other);
      await waitForLock(pool, client, request, other);
    }
  } catch (error) {
    client?.release(true);
    await pool.end();
    throw error;
  }
  const session = client;
  // A lost session means a lost lock: say so rather than go on unprotected without a word.
  session.on('error', (error) => logger.error(`the run lock on target ${request.targetName} was lost with its connection: ${errorMessage(error)}`));
  return {
    holder,
    async release() {
      // Closing the session releases the lock; unlocking first keeps that explicit.
      await session.query('select pg_advisory_unlock($1::bigint)', [RUN_LOCK_KEY.toString()]).catch(() => undefined);
      session.release(true);
      await pool.end();
    },
  };
}

/**
 * pg_advisory_lock waits as long as it must; lock_timeout bounds that wait ("the time spent
 * waiting to acquire a lock on a table, index, row, or other database object", which includes
 * advisory locks: https://www.postgresql.org/docs/15/runtime-config-client.html#GUC-LOCK-TIMEOUT).
 * An abort cancels the wait through pg_cancel_backend from a second connection of the pool.
 */
async function waitForLock(pool: pg.Pool, client: pg.PoolClient, request: RunLockRequest, other: RunLockHolder | undefined): Promise<void> {
  await client.query(`select set_config('lock_timeout', $1, false)`, [`${Math.ceil(request.timeoutMs)}ms`]);
  const pid = backendPid(client);
  const cancel = () => void cancelBackend(pool, pid);
  request.signal?.addEventListener('abort', cancel, { once: true });
  try {
    await client.query('select pg_advisory_lock($1::bigint)', [RUN_LOCK_KEY.toString()]);
  } catch (error) {
    if ((error as { code?: string }).code === LOCK_NOT_AVAILABLE) throw new RunLockTimeoutError(request.targetName, other, request.timeoutMs);
    if (request.signal?.aborted) throw new CancelledError('cancelled while waiting for the run lock');
    throw new WarehouseError(
      `target ${request.targetName}: taking the run lock failed: ${errorMessage(error)}`,
      { target: request.targetName },
      { cause: error },
    );
  } finally {
    request.signal?.removeEventListener('abort', cancel);
    await client.query(`select set_config('lock_timeout', '0', false)`).catch(() => undefined);
  }
}

async function cancelBackend(pool: pg.Pool, pid: number | undefined): Promise<void> {
  if (!pid) return;
  const client = await pool.connect().catch(() => undefined);
  if (!client) return;
  await client.query('select pg_cancel_backend($1)', [pid]).catch(() => undefined);
  client.release();
}

/** The session holding the lock, from pg_locks and pg_stat_activity; undefined if it just ended. */
async function currentHolder(client: pg.PoolClient): Promise<RunLockHolder | undefined> {
  const { rows } = await client.query<{ pid: number; application_name: string; backend_start: Date }>(
    `select a.pid, a.application_name, a.backend_start
       from pg_locks l join pg_stat_activity a on a.pid = l.pid
      where l.locktype = 'advisory' and l.granted and l.database = (select oid from pg_database where datname = current_database())
        and l.classid = $1 and l.objid = $2 and l.objsubid = 1`,
    [KEY_HIGH, KEY_LOW],
  );
  const row = rows[0];
  if (!row) return undefined;
  const named = new RegExp(`^${APPLICATION_PREFIX} (\\d+)@(.*)$`).exec(row.application_name);
  return {
    host: named?.[2],
    pid: named ? Number(named[1]) : undefined,
    startedAt: row.backend_start.toISOString(),
  };
}
