// How a run over several days speaks of them: the gap it found before starting, each day's
// outcome as the source nodes report it, and at the end which missed days it caught up, in the
// log and in run_results.json.

import { type DayPlan, describeDays } from '../batch/day-plan.js';
import { logger } from '../log/logger.js';
import type { DayStatus, RunDays } from './run-days.js';

/** Each table's outcome per day, as its source node reports it. */
export class DayOutcomes {
  private readonly failedOf = new Map<string, Map<string, boolean>>();

  constructor(private readonly plan: DayPlan) {}

  record(day: string, table: string, failed: boolean): void {
    const tables = this.failedOf.get(day) ?? new Map<string, boolean>();
    tables.set(table, failed);
    this.failedOf.set(day, tables);
  }

  statusOf(day: string): DayStatus {
    const step = this.plan.steps.find((candidate) => candidate.label === day);
    const outcomes = this.failedOf.get(day) ?? new Map<string, boolean>();
    if ([...outcomes.values()].some(Boolean)) return 'error';
    const unreported = [...(step?.tables ?? [])].filter((table) => !outcomes.has(table));
    if (unreported.length === 0) return 'success';
    // Days of a table run in order: one after a failed day of the same table was never started.
    const stopped = unreported.some((table) => this.plan.steps.some((earlier) => earlier.label < day && this.failedOf.get(earlier.label)?.get(table)));
    return stopped ? 'skipped' : 'pending';
  }

  toRunDays(): RunDays {
    return {
      catch_up: this.plan.catchUp,
      processed: this.plan.steps.map((step) => ({ day: step.label, status: this.statusOf(step.label) })),
      gaps: this.plan.gaps.map((gap) => ({ table: gap.table, last_complete: gap.lastComplete, missing_days: gap.days })),
    };
  }
}

/** Before the first day: what is missing, per table. */
export function reportGaps(plan: DayPlan): void {
  for (const gap of plan.gaps)
    logger.warn(`catching up ${gap.days.length} missed days ${describeDays(gap.days)} for ${gap.table} (last complete ${gap.lastComplete})`, {
      table: gap.table,
    });
  if (plan.steps.length > 1)
    logger.info(`processing ${plan.steps.length} days ${describeDays(plan.steps.map((step) => step.label))}, one batch per table and day`);
}

/** After the run: each gap caught up, or what is still missing for the next run. */
export function reportCatchUp(plan: DayPlan, outcomes: DayOutcomes): void {
  for (const gap of plan.gaps) {
    const missing = gap.days.filter((day) => outcomes.statusOf(day) !== 'success');
    if (missing.length === 0)
      logger.info(`caught up ${gap.days.length} missed days ${describeDays(gap.days)} for ${gap.table} (last complete ${gap.lastComplete})`);
    else logger.error(`${gap.table}: still missing ${missing.length} day(s) ${describeDays(missing)}; the next run without --date resumes there`);
  }
  if (plan.steps.length > 1) {
    const failed = plan.steps.map((step) => step.label).filter((day) => outcomes.statusOf(day) !== 'success');
    const line = `processed ${plan.steps.length - failed.length} of ${plan.steps.length} day(s)${failed.length > 0 ? `; failed or not run: ${failed.join(', ')}` : ''}`;
    if (failed.length > 0) logger.error(line);
    else logger.info(line);
  }
}
