// Data API throttling on demand: a chosen share of calls is refused with ThrottlingException
// (HTTP 400), the error AWS services answer when a caller exceeds its request rate
// (https://docs.aws.amazon.com/redshift-data/latest/APIReference/CommonErrors.html).
// Deterministic, so a test knows which call fails: every Nth call, or a seeded pseudo-random
// share; optionally only some operations (DescribeStatement, say). The AWS SDK retries it by
// itself (a "throttling error" to its standard retry strategy), so only callers with
// maxAttempts: 1, or throttling on every attempt, see it.

import { seededRandom } from '../seeded-random.js';

export interface ThrottleOptions {
  /** Throttle every Nth counted call (N ≥ 1). */
  every?: number;
  /** Or throttle this share of counted calls (0–1), drawn from a sequence seeded by `seed`. */
  share?: number;
  seed?: number;
  /** Count only these operations (default: all). */
  operations?: readonly string[];
}

export class Throttle {
  private calls = 0;
  /** Calls refused since the last reset. */
  throttled = 0;
  private random: () => number = () => 1;

  constructor(private options: ThrottleOptions = {}) {
    this.reset(options);
  }

  reset(options: ThrottleOptions = {}): void {
    const { every, share } = options;
    if (every !== undefined && (!Number.isInteger(every) || every < 1)) throw new Error(`throttle every must be a whole number ≥ 1, got ${every}`);
    if (share !== undefined && !(share >= 0 && share <= 1)) throw new Error(`throttle share must be between 0 and 1, got ${share}`);
    this.options = options;
    this.calls = 0;
    this.throttled = 0;
    this.random = seededRandom(options.seed ?? 1);
  }

  /** Counts one call of `operation`; true when it is to be throttled. */
  next(operation: string): boolean {
    const { every, share, operations } = this.options;
    if (every === undefined && share === undefined) return false;
    if (operations && !operations.includes(operation)) return false;
    this.calls++;
    const refused = every !== undefined ? this.calls % every === 0 : this.random() < share!;
    if (refused) this.throttled++;
    return refused;
  }
}
