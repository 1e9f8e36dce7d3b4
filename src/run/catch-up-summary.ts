// How a command over several days speaks of them: the gap it found before starting, and at the
// end which missed days it caught up, in the log and in run_results.json.

import { type DayPlan, describeDays } from '../batch/day-plan.js';
import { logger } from '../log/logger.js';
import type { RunDays } from './run-days.js';

export interface DayStatus {
  readonly label: string;
  readonly failed: boolean;
}

/** Before the first day: what is missing, per table. */
export function reportGaps(plan: DayPlan): void {
  for (const gap of plan.gaps)
    logger.warn(`catching up ${gap.days.length} missed days ${describeDays(gap.days)} for ${gap.table} (last complete ${gap.lastComplete})`, {
      table: gap.table,
    });
}

/** After the last day: each gap caught up, or what is still missing for the next run. */
export function reportCatchUp(plan: DayPlan, done: readonly DayStatus[]): void {
  const succeeded = new Set(done.filter((day) => !day.failed).map((day) => day.label));
  for (const gap of plan.gaps) {
    const missing = gap.days.filter((day) => !succeeded.has(day));
    if (missing.length === 0)
      logger.info(`caught up ${gap.days.length} missed days ${describeDays(gap.days)} for ${gap.table} (last complete ${gap.lastComplete})`);
    else logger.error(`${gap.table}: still missing ${missing.length} day(s) ${describeDays(missing)}; the next run without --date resumes there`);
  }
  if (done.length > 1) {
    const failed = done.filter((day) => day.failed).map((day) => day.label);
    const line = `processed ${done.length} of ${plan.steps.length} day(s) ${describeDays(done.map((day) => day.label))}${failed.length > 0 ? `; failed: ${failed.join(', ')}` : ''}`;
    if (failed.length > 0) logger.error(line);
    else logger.info(line);
  }
}

/** run_results.json's `days`: those done, then the one `running` now, if any. */
export function runDaysRecord(plan: DayPlan, done: readonly DayStatus[], running?: string): RunDays {
  return {
    catch_up: plan.catchUp,
    planned: plan.steps.map((step) => step.label),
    processed: [
      ...done.map((day) => ({ day: day.label, status: day.failed ? ('error' as const) : ('success' as const) })),
      ...(running ? [{ day: running, status: 'running' as const }] : []),
    ],
    gaps: plan.gaps.map((gap) => ({ table: gap.table, last_complete: gap.lastComplete, missing_days: gap.days })),
  };
}
