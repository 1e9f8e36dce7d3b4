// One extract of a table at a time: a PostgreSQL session advisory lock on the source connection,
// keyed by the table's S3 prefix. While it is held, no incomplete multipart upload under that
// prefix can belong to a live extract, so the holder may abort them all. The server releases a
// session lock when the session ends, so a killed pgshift never leaves it behind
// (https://www.postgresql.org/docs/current/explicit-locking.html#ADVISORY-LOCKS). Different
// tables have different keys and never block each other.

import type pg from 'pg';
import { ExtractError } from '../errors.js';

// The advisory lock space is shared by every application on the source; the two-key form with
// a fixed first key keeps pgshift's locks apart from a single-bigint user of the same hash.
const PGSHIFT_LOCK_CLASS = 0x70677368; // "pgsh"

export async function acquireTableExtractLock(client: pg.PoolClient, lockKey: string, tableId: string): Promise<void> {
  const { rows } = await client.query<{ locked: boolean }>('select pg_try_advisory_lock($1::int, hashtext($2)) as locked', [PGSHIFT_LOCK_CLASS, lockKey]);
  if (!rows[0]?.locked) {
    throw new ExtractError(
      `${tableId}: another pgshift extract of this table is running (it holds the source's advisory lock for ${lockKey}); wait for it to finish, then run again`,
      { table: tableId, phase: 'lock', lock: lockKey },
    );
  }
}

export async function releaseTableExtractLock(client: pg.PoolClient, lockKey: string): Promise<void> {
  await client.query('select pg_advisory_unlock($1::int, hashtext($2))', [PGSHIFT_LOCK_CLASS, lockKey]);
}
