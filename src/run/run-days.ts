// The days one command processed, as run_results.json records them: each day's outcome, and
// the gap a run without --date found and caught up (a table's missed days after its last
// complete one).

export type DayStatus = 'pending' | 'success' | 'error' | 'skipped';

export interface RunDays {
  /** True when no interval was given and the days came from pgshift_meta.batches. */
  readonly catch_up: boolean;
  /** Oldest first; `skipped`: not run because an earlier day of a table failed. */
  readonly processed: readonly { readonly day: string; readonly status: DayStatus }[];
  readonly gaps: readonly { readonly table: string; readonly last_complete: string; readonly missing_days: readonly string[] }[];
}
