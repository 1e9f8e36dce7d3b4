// Several tables ran; log every failure after the first and throw the first, so the command
// ends with one clear line and a non-zero exit while no failure goes unreported.

import { logger } from '../log/logger.js';
import type { Outcome } from './bounded-parallel.js';

export function throwFirstFailure<T>(outcomes: readonly Outcome<T>[]): T[] {
  const failures = outcomes.flatMap((outcome) => (outcome.ok ? [] : [outcome.error]));
  for (const failure of failures.slice(1)) logger.error(failure instanceof Error ? failure.message : String(failure));
  if (failures.length > 0) throw failures[0];
  return outcomes.flatMap((outcome) => (outcome.ok ? [outcome.value] : []));
}
