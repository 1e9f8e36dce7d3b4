// Data API throttling on demand: every Nth call is refused with ThrottlingException (HTTP 400),
// the error AWS services answer when a caller exceeds its request rate. Deterministic, so a test
// knows which call fails. The AWS SDK retries it by itself (a "throttling error" in its standard
// retry strategy), so only callers with maxAttempts: 1 see it.
// https://docs.aws.amazon.com/redshift-data/latest/APIReference/CommonErrors.html

export class Throttle {
  private calls = 0;

  constructor(private every?: number) {
    this.check(every);
  }

  reset(every?: number): void {
    this.check(every);
    this.every = every;
    this.calls = 0;
  }

  /** Counts one call; true when this one is to be throttled. */
  next(): boolean {
    if (!this.every) return false;
    this.calls++;
    return this.calls % this.every === 0;
  }

  private check(every?: number): void {
    if (every !== undefined && (!Number.isInteger(every) || every < 1)) throw new Error(`throttleEvery must be a whole number ≥ 1, got ${every}`);
  }
}
