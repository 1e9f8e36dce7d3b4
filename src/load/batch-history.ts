// What pgshift_meta.batches says each table has: the last day a loaded batch completes, and
// whether any batch of it is loaded at all. This decides where a run without --date resumes
// and whether a table's first extract reads every row. A warehouse without the table holds
// nothing yet.

import type { TableHistory } from '../batch/day-plan.js';
import { addDays } from '../batch/day-range.js';
import { META_SCHEMA } from '../batch/meta-schema.js';
import type { Warehouse } from '../warehouse/warehouse.js';

// pg_catalog answers on both warehouses alike (see warehouse/catalog-queries.ts).
const BATCHES_EXIST_SQL = `select count(*) as found
  from pg_class c join pg_namespace n on n.oid = c.relnamespace
 where n.nspname = $1 and c.relname = 'batches'`;

// interval_end is a timestamptz; AT TIME ZONE 'UTC' makes it the UTC wall-clock TIMESTAMP on
// both warehouses (https://docs.aws.amazon.com/redshift/latest/dg/r_AT_TIME_ZONE.html: "TIMESTAMP
// when used with a TIMESTAMPTZ expression"), and TO_CHAR spells it with the datetime format
// parts both share (https://docs.aws.amazon.com/redshift/latest/dg/r_TO_CHAR.html,
// https://docs.aws.amazon.com/redshift/latest/dg/r_FORMAT_strings.html). A batch counts as
// complete for a day when it ends at a UTC midnight: a whole day, or a range of whole days.
const HISTORY_SQL = `select source, table_name, count(*) as loaded_batches,
       max(case when to_char(interval_end at time zone 'UTC', 'HH24:MI:SS.US') = '00:00:00.000000'
                then to_char(interval_end at time zone 'UTC', 'YYYY-MM-DD') end) as complete_until,
       min(to_char(interval_start at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS')) as first_start
  from ${META_SCHEMA}.batches
 where status = 'loaded'
 group by source, table_name`;

interface HistoryRow {
  source: string;
  table_name: string;
  loaded_batches: number | string;
  complete_until: string | null;
  first_start: string | null;
}

/** By table id (`source.table`); a table without any loaded batch is absent. */
export async function readBatchHistory(warehouse: Warehouse, signal?: AbortSignal): Promise<Map<string, TableHistory>> {
  const history = new Map<string, TableHistory>();
  const [exists] = await warehouse.query<{ found: number | string }>(BATCHES_EXIST_SQL, [META_SCHEMA], { signal });
  if (!exists || Number(exists.found) === 0) return history;
  for (const row of await warehouse.query<HistoryRow>(HISTORY_SQL, [], { signal })) {
    history.set(`${row.source}.${row.table_name}`, {
      anyLoaded: Number(row.loaded_batches) > 0,
      firstLoadedStart: row.first_start ?? undefined,
      // complete_until is the exclusive end: the last complete day is the one before it.
      lastCompleteDay: row.complete_until ? addDays(row.complete_until, -1) : undefined,
    });
  }
  return history;
}
