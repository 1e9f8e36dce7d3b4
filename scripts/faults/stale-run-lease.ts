// On Redshift a killed run leaves its run-lock lease row behind (there are no session locks),
// and the next run takes it over only once its heartbeat is older than the stale limit
// (src/warehouse/redshift-run-lock.ts, five minutes). A trial stands for an operator who reruns
// after that limit: it moves the dead lease's heartbeat back past it, in the emulator's backing
// database, instead of waiting five minutes per kill. The takeover path itself still runs.

import type pg from 'pg';
import { DEFAULT_LEASE_TIMING, RUN_LOCK_TABLE } from '../../src/warehouse/redshift-run-lock.js';

/** Ages every lease in the trial's warehouse past the stale limit; returns how many there were. */
export async function ageDeadRunLease(db: pg.Pool): Promise<number> {
  const exists = await db.query('select to_regclass($1) as name', [RUN_LOCK_TABLE]);
  if (!(exists.rows[0] as { name: string | null }).name) return 0;
  const seconds = Math.ceil(DEFAULT_LEASE_TIMING.staleAfterMs / 1000) + 60;
  const aged = await db.query(`update ${RUN_LOCK_TABLE} set heartbeat_at = heartbeat_at - make_interval(secs => $1)`, [seconds]);
  return aged.rowCount ?? 0;
}
