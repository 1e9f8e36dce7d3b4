// Every PostgreSQL session pgshift has checked out, on any server, so that Ctrl-C can cancel
// what each one is running and abandon the connection attempts still in progress.

import { setTimeout as sleep } from 'node:timers/promises';
import type pg from 'pg';
import type { Queryable } from '../sql/queryable.js';

/** The parts of a node-postgres client a cancel request needs (set once it has connected). */
interface CancellableClient {
  readonly processID: number | null;
  readonly secretKey: number | null;
  readonly host: string;
  readonly port: number;
  readonly connectionParameters: { ssl?: unknown };
}

const busy = new Set<pg.ClientBase>();
const abandon = new AbortController();
const abandonHooks = new Set<() => void>();

/** Aborts once cancelAllSessions ran: connection attempts watch it and give up. */
export const sessionsAbandoned: AbortSignal = abandon.signal;

/** Runs `hook` when every session is cancelled; the returned function unregisters it. */
export function onAbandon(hook: () => void): () => void {
  abandonHooks.add(hook);
  return () => abandonHooks.delete(hook);
}

export function markBusy(client: pg.ClientBase): void {
  busy.add(client);
}

export function markIdle(client: pg.ClientBase): void {
  busy.delete(client);
}

/**
 * Asks every server to cancel the statement each checked-out session is running, and makes
 * every connection attempt in progress give up. Resolves once each request went out or failed.
 */
export async function cancelAllSessions(timeoutMs = 5_000): Promise<void> {
  abandon.abort();
  for (const hook of abandonHooks) hook();
  await Promise.allSettled([...busy].map((client) => sendCancelRequest(client, timeoutMs)));
}

/**
 * PostgreSQL's cancel request goes on a new connection carrying the backend's process id and
 * secret key, not through the session (busy) or the pool (possibly exhausted): the server
 * cancels the statement and closes that connection without an answer.
 * https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-CANCELING-REQUESTS
 */
export function sendCancelRequest(client: pg.ClientBase, timeoutMs = 5_000): Promise<void> {
  const session = client as unknown as CancellableClient;
  const { processID, secretKey } = session;
  if (processID === null || secretKey === null || processID === undefined) return Promise.resolve();
  // pg is loaded here, not at the top: the CLI imports this module at start-up for Ctrl-C, and
  // loading the driver there costs every command (compile and ls too) about 0.2 s. A session to
  // cancel means pg is loaded already.
  return import('pg').then(
    ({ default: driver }) =>
      new Promise<void>((resolve) => {
        const connection = new driver.Client({ host: session.host, port: session.port, ssl: session.connectionParameters.ssl as pg.ClientConfig['ssl'] })
          .connection as unknown as PgConnection;
        const done = () => {
          clearTimeout(timer);
          connection.stream.destroy();
          resolve();
        };
        const timer = setTimeout(done, timeoutMs);
        connection.on('error', done);
        connection.on('end', done);
        connection.on('connect', () => connection.cancel(processID, secretKey));
        if (session.host.startsWith('/')) connection.connect(`${session.host}/.s.PGSQL.${session.port}`);
        else connection.connect(session.port, session.host);
      }),
  );
}

/** The server's process id of a connected client, undefined before it connected. */
export function backendPid(client: pg.ClientBase): number | undefined {
  return (client as unknown as CancellableClient).processID ?? undefined;
}

/**
 * Waits until none of `pids` is a session on the server `observer` is connected to, or until
 * `timeoutMs` passed. A destroyed client's backend ends on its own time: one in a COPY notices
 * only when it next writes to the closed socket. pg_stat_activity is read afresh each time, as
 * within a transaction the server keeps showing the picture it took at the first read (cleared
 * by pg_stat_clear_snapshot()).
 * https://www.postgresql.org/docs/current/monitoring-stats.html#MONITORING-STATS-FUNCTIONS
 */
export async function awaitSessionsEnded(observer: Queryable, pids: readonly number[], timeoutMs = 10_000): Promise<void> {
  if (pids.length === 0) return;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    await observer.query('select pg_stat_clear_snapshot()');
    const { rows } = await observer.query<{ n: number }>('select count(*)::int as n from pg_stat_activity where pid = any($1::int[])', [pids]);
    if (rows[0]!.n === 0 || Date.now() >= deadline) return;
    await sleep(20);
  }
}

/** node-postgres's wire connection, which the library does not type. */
interface PgConnection {
  readonly stream: { destroy(): void };
  on(event: 'connect' | 'end' | 'error', listener: () => void): void;
  connect(port: number | string, host?: string): void;
  cancel(processID: number, secretKey: number): void;
}

/**
 * Whether `error` ended the session: the socket broke, or the server sent a FATAL error (a
 * terminated backend, a shutdown, a failover), after which it closes the connection.
 * https://www.postgresql.org/docs/current/protocol-flow.html#PROTOCOL-FLOW-TERMINATION
 */
export function connectionLost(client: pg.ClientBase, error: unknown): boolean {
  const { severity, code } = (error ?? {}) as { severity?: string; code?: string };
  return (
    (client as unknown as { _queryable?: boolean })._queryable === false ||
    severity === 'FATAL' ||
    severity === 'PANIC' ||
    code === 'ECONNRESET' ||
    code === 'EPIPE'
  );
}
