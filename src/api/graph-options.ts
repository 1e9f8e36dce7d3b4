// The options of the stages that work on the project graph (dbt's flags, where dbt has one),
// as the CLI parses them and the demo passes them.

export interface GraphOptions {
  select: string[];
  exclude: string[];
  selector?: string;
  threads?: number;
  /** --slices: every source table's `slices:` for this run. */
  slices?: number | 'auto';
  fullRefresh?: boolean;
  vars?: Record<string, unknown>;
  failFast?: boolean;
  state?: string;
  targetPath?: string;
  date?: string;
  start?: string;
  end?: string;
  /** Accept an interval that has not ended yet (`--allow-open-interval`). */
  allowOpenInterval?: boolean;
  /** Over several days, go on after a failed day (`--continue-after-failed-day`). */
  continueAfterFailedDay?: boolean;
  /** --accept-deletes: table ids (or `all`) whose detected deletes may exceed max_delete_ratio this run. */
  acceptDeletes?: string[];
  /** --lock-timeout in milliseconds (the CLI's; runGraph takes it through RunGraphOptions). */
  lockTimeout?: number;
}

/** `--vars '{country: DE}'` as the compiler reads it; the CLI parses the flag with it. */
export { parseCliVars } from '../compile/compile-context.js';
