// The days a command processes (batch/day-plan.ts decides them from the flags and
// pgshift_meta.batches) and the loop over them: oldest first, one at a time, logging
// `day 3/10: 2026-11-23`, stopping at the first failed day unless told to go on.

import { currentTime } from '../batch/clock.js';
import { type DayPlan, type DayStep, FailedDaysError, planDays, type TableHistory } from '../batch/day-plan.js';
import type { IntervalFlags } from '../batch/interval.js';
import type { Project, SourceTable } from '../config/project.js';
import { CancelledError, errorMessage } from '../errors.js';
import { logger } from '../log/logger.js';

/** The flag that goes on with the next day after one fails; its name appears in messages. */
export const CONTINUE_AFTER_FAILED_DAY_FLAG = '--continue-after-failed-day';

const DEFAULT_CATCH_UP_MAX_DAYS = 31;

export function planCommandDays(project: Project, flags: IntervalFlags, tables: readonly SourceTable[], history: ReadonlyMap<string, TableHistory>): DayPlan {
  return planDays({
    flags,
    tables: tables.map((table) => ({ id: table.id, mode: table.mode })),
    history,
    now: currentTime(),
    maxDays: project.raw.catch_up_max_days ?? DEFAULT_CATCH_UP_MAX_DAYS,
  });
}

export interface DayOutcome<T> {
  readonly step: DayStep;
  readonly failed: boolean;
  readonly value?: T;
}

export { FailedDaysError };

/**
 * `work` answers whether its day failed; a day that throws failed too. Without
 * `continueAfterFailedDay` the first failure ends the loop (a thrown error propagates as it
 * is); the days after it are not started, so the next run resumes there.
 */
export async function forEachDay<T>(
  plan: DayPlan,
  continueAfterFailedDay: boolean | undefined,
  work: (step: DayStep, done: readonly DayOutcome<T>[]) => Promise<{ value: T; failed: boolean }>,
): Promise<DayOutcome<T>[]> {
  const outcomes: DayOutcome<T>[] = [];
  const total = plan.steps.length;
  for (const [index, step] of plan.steps.entries()) {
    if (total > 1) logger.info(`day ${index + 1}/${total}: ${step.label}`, { tables: step.tables.size });
    try {
      const { value, failed } = await work(step, outcomes);
      outcomes.push({ step, failed, value });
      if (failed && !continueAfterFailedDay) {
        if (index + 1 < total)
          logger.error(`day ${step.label} failed; stopping before ${total - index - 1} later day(s) (${CONTINUE_AFTER_FAILED_DAY_FLAG} goes on)`);
        break;
      }
    } catch (error) {
      if (!continueAfterFailedDay || error instanceof CancelledError) {
        if (index + 1 < total && !(error instanceof CancelledError))
          logger.error(`day ${step.label} failed; stopping before ${total - index - 1} later day(s) (${CONTINUE_AFTER_FAILED_DAY_FLAG} goes on)`);
        throw error;
      }
      logger.error(`day ${step.label} failed: ${errorMessage(error)}`);
      outcomes.push({ step, failed: true });
    }
  }
  return outcomes;
}
