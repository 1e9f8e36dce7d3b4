// Which days a command processes and which tables each day, from the flags and what the
// warehouse already holds (pgshift_meta.batches). Without --date/--start/--end every table
// resumes after its last complete day, up to yesterday, so a failed or skipped night is made
// up by the next run; an explicit interval of several whole days is processed day by day.
// Pure: the history comes in as facts.

import { ConfigError, PgshiftError } from '../errors.js';
import { addDays, dayInterval, daysFrom, splitIntoDays, yesterdayOf } from './day-range.js';
import { batchIdFor, intervalFromFlags, type Interval, type IntervalFlags } from './interval.js';

export interface PlannedTable {
  readonly id: string;
  readonly mode: 'incremental' | 'full' | 'append';
}

/** What pgshift_meta.batches says about one table. */
export interface TableHistory {
  /** The last day covered by a loaded batch that ends on a day boundary (`YYYY-MM-DD`). */
  readonly lastCompleteDay?: string;
  /** Whether any batch of the table is loaded: without one, its first extract reads every row. */
  readonly anyLoaded: boolean;
  /** The earliest start of a loaded batch, `YYYY-MM-DD HH:MM:SS` in UTC. */
  readonly firstLoadedStart?: string;
}

export interface DayStep {
  readonly interval: Interval;
  /** The batch id of the interval: `2026-11-23` for a day. */
  readonly label: string;
  /** Tables extracted and loaded this day; the others are complete for it already. */
  readonly tables: ReadonlySet<string>;
  /** Tables read from the beginning this day: nothing of them is in the warehouse yet. */
  readonly fromBeginning: ReadonlySet<string>;
}

/** Days a table had missed, named in the summary and in run_results.json. */
export interface CatchUpGap {
  readonly table: string;
  readonly lastComplete: string;
  readonly days: readonly string[];
}

export interface DayPlan {
  /** True when no interval was given and the days come from pgshift_meta.batches. */
  readonly catchUp: boolean;
  readonly steps: readonly DayStep[];
  readonly gaps: readonly CatchUpGap[];
}

export const CATCH_UP_CAP_KEY = 'catch_up_max_days';

/** Days processed after a failed one (--continue-after-failed-day) still fail the command. */
export class FailedDaysError extends PgshiftError {
  override name = 'FailedDaysError';
  constructor(days: readonly string[], table?: string) {
    super('FAILED_DAYS', `${table ? `${table}: ` : ''}${days.length} day(s) failed: ${days.join(', ')}; fix the cause and run them again with --date`, {
      table,
    });
  }
}

export function hasIntervalFlags(flags: IntervalFlags): boolean {
  return Boolean(flags.date || flags.start || flags.end);
}

export interface DayPlanInput {
  readonly flags: IntervalFlags;
  readonly tables: readonly PlannedTable[];
  readonly history: ReadonlyMap<string, TableHistory>;
  readonly now: Date;
  readonly maxDays: number;
}

export function planDays(input: DayPlanInput): DayPlan {
  return hasIntervalFlags(input.flags) ? planExplicit(input) : planCatchUp(input);
}

/**
 * --date, or --start/--end: every selected incremental table every day. A full-mode table
 * replaces its whole raw table from the current rows, so it is read on the last day, and on the
 * first too when the warehouse has none of it yet (the first day's models read it).
 */
function planExplicit({ flags, tables, history, now }: DayPlanInput): DayPlan {
  const days = splitIntoDays(intervalFromFlags(flags, now));
  const last = days.length - 1;
  const steps = days.map((interval, index) => ({
    interval,
    label: batchIdFor(interval),
    tables: new Set(
      tables.filter((table) => table.mode !== 'full' || index === last || (index === 0 && !history.get(table.id)?.anyLoaded)).map((table) => table.id),
    ),
    fromBeginning: new Set(index === 0 ? firstExtracts(tables, history, interval) : []),
  }));
  return { catchUp: false, steps, gaps: [] };
}

function planCatchUp({ tables, history, now, maxDays }: DayPlanInput): DayPlan {
  const yesterday = yesterdayOf(now);
  const daysOf = new Map<string, string[]>();
  const gaps: CatchUpGap[] = [];
  for (const table of tables) {
    const last = history.get(table.id)?.lastCompleteDay;
    const first = last ? addDays(last, 1) : yesterday;
    const missing = daysFrom(first, yesterday);
    if (last && table.mode !== 'full' && missing.length > maxDays) {
      throw new ConfigError(
        `${table.id}: last complete day ${last}, ${missing.length} days missing up to ${yesterday}, more than ${CATCH_UP_CAP_KEY} (${maxDays}); process them with --start ${first} --end ${addDays(yesterday, 1)}, or raise ${CATCH_UP_CAP_KEY} in pgshift.yml`,
        { table: table.id },
      );
    }
    // A full-mode table only ever needs its newest day: each load replaces all of it.
    daysOf.set(table.id, table.mode === 'full' ? missing.slice(-1) : missing);
    if (last && table.mode !== 'full' && missing.length > 1) gaps.push({ table: table.id, lastComplete: last, days: missing });
  }
  const allDays = [...new Set([...daysOf.values()].flat())].sort();
  // A full-mode table the warehouse has none of is read on the first day too: its models read it.
  for (const table of tables) {
    const days = daysOf.get(table.id) ?? [];
    if (table.mode === 'full' && !history.get(table.id)?.anyLoaded && allDays[0] && !days.includes(allDays[0])) daysOf.set(table.id, [allDays[0], ...days]);
  }
  // Everything complete through yesterday: the graph's models still run once, for yesterday.
  if (allDays.length === 0) allDays.push(yesterday);
  const started = new Set<string>();
  const steps = allDays.map((day) => {
    const due = tables.filter((table) => daysOf.get(table.id)?.includes(day)).map((table) => table.id);
    const interval = dayInterval(day);
    const fromBeginning = firstExtracts(
      tables.filter((table) => due.includes(table.id) && !started.has(table.id)),
      history,
      interval,
    );
    for (const id of due) started.add(id);
    return { interval, label: batchIdFor(interval), tables: new Set(due), fromBeginning: new Set(fromBeginning) };
  });
  return { catchUp: true, steps, gaps };
}

/** Incremental tables the warehouse holds no batch of: their first extract reads every row. */
function firstExtracts(tables: readonly PlannedTable[], history: ReadonlyMap<string, TableHistory>, interval: Interval): string[] {
  // Also an interval at or before the earliest loaded batch: rerunning the table's first day (a
  // retry, a backfill again) must read what its first extract read, or replacing that batch by
  // its id would delete the rows from before its window.
  const start = interval.start.toISOString().slice(0, 19).replace('T', ' ');
  return tables
    .filter((table) => {
      if (table.mode === 'full') return false;
      const known = history.get(table.id);
      return !known?.anyLoaded || (known.firstLoadedStart !== undefined && start <= known.firstLoadedStart);
    })
    .map((table) => table.id);
}

/** `2026-11-27…2026-11-29`, or one day alone. */
export function describeDays(days: readonly string[]): string {
  const [first = '', last = first] = [days[0], days[days.length - 1]];
  return first === last ? first : `${first}…${last}`;
}
