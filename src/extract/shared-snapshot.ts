// One snapshot for every connection reading a table: the extract's own transaction exports it
// (pg_export_snapshot()) and each range's connection imports it (SET TRANSACTION SNAPSHOT), so
// all ranges see exactly the rows one COPY would. "The snapshot is available for import only
// until the end of the transaction that exported it", and the import must be "before the first
// query or data-modification statement" of a REPEATABLE READ (or SERIALIZABLE) transaction:
// https://www.postgresql.org/docs/current/functions-admin.html#FUNCTIONS-SNAPSHOT-SYNCHRONIZATION
// https://www.postgresql.org/docs/current/sql-set-transaction.html

import type pg from 'pg';
import { ExtractError } from '../errors.js';
import { quoteLiteral } from '../sql/quote-ident.js';
import type { Queryable } from '../sql/queryable.js';

/** Exports the transaction's snapshot; the transaction must stay open while ranges import it. */
export async function exportSnapshot(coordinator: Queryable): Promise<string> {
  return (await coordinator.query<{ id: string }>('select pg_export_snapshot() as id')).rows[0]!.id;
}

/** Opens a read-only REPEATABLE READ transaction on `client` that sees the exported snapshot `id`. */
export async function importSnapshot(client: Queryable, id: string, tableId: string): Promise<void> {
  // SET TRANSACTION SNAPSHOT takes a literal only; the id is the server's own text (hex and dashes).
  if (!/^[0-9A-Fa-f-]+$/.test(id))
    throw new ExtractError(`${tableId}: unexpected snapshot id ${JSON.stringify(id)} from the source`, { table: tableId, phase: 'copy' });
  await client.query(`begin isolation level repeatable read read only; set transaction snapshot ${quoteLiteral(id)}`);
}

/**
 * Keeps the coordinating session, idle while the ranges stream, from being ended by the
 * server's idle_in_transaction_session_timeout (which would end the snapshot's transaction and
 * free the table's extract lock): a trivial statement every third of the timeout. A crashed or
 * hung process sends none, so the server's guard still works. Returns the stop function.
 */
export async function keepTransactionAlive(coordinator: pg.PoolClient): Promise<() => Promise<void>> {
  const setting = (await coordinator.query<{ ms: string }>(`select setting as ms from pg_settings where name = 'idle_in_transaction_session_timeout'`)).rows[0];
  const timeoutMs = Number(setting?.ms ?? 0);
  if (!(timeoutMs > 0)) return async () => {};
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(
    () => {
      running = running.then(() => coordinator.query('select 1').catch(() => {}));
    },
    Math.max(100, Math.floor(timeoutMs / 3)),
  );
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
