// One extract of a table at a time: a PostgreSQL session advisory lock on the source connection,
// keyed by the table's S3 prefix. While it is held, no incomplete multipart upload under that
// prefix can belong to a live extract, so the holder may abort them all. The server releases a
// session lock when the session ends, so a killed pgshift never leaves it behind
// (https://www.postgresql.org/docs/current/explicit-locking.html#ADVISORY-LOCKS). Different
// tables have different keys and never block each other.

import type pg from 'pg';
import { ExtractError } from '../errors.js';

// The advisory lock space is shared by every application on the source. The key is a 64-bit
// hash (hashtextextended, PostgreSQL 11+) of a pgshift-specific text, so two tables colliding
// (and so blocking each other) is as unlikely as a 64-bit hash collision; a 32-bit hashtext
// would make that a real chance across a few thousand tables.
// https://www.postgresql.org/docs/current/functions-admin.html#FUNCTIONS-ADVISORY-LOCKS
const LOCK_TEXT_PREFIX = 'pgshift extract ';

export async function acquireTableExtractLock(client: pg.PoolClient, lockKey: string, tableId: string): Promise<void> {
  const { rows } = await client.query<{ locked: boolean }>('select pg_try_advisory_lock(hashtextextended($1, 0)) as locked', [LOCK_TEXT_PREFIX + lockKey]);
  if (!rows[0]?.locked) {
    throw new ExtractError(
      `${tableId}: another pgshift extract of this table is running (it holds the source's advisory lock for ${lockKey}); wait for it to finish, then run again`,
      { table: tableId, phase: 'lock', lock: lockKey },
    );
  }
}

export async function releaseTableExtractLock(client: pg.PoolClient, lockKey: string): Promise<void> {
  await client.query('select pg_advisory_unlock(hashtextextended($1, 0))', [LOCK_TEXT_PREFIX + lockKey]);
}
