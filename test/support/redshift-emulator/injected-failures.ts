// Statements that fail on demand: a seeded share of the statements the emulator runs end FAILED,
// as DescribeStatement reports a statement the cluster refused (Status FAILED and its Error
// message: https://docs.aws.amazon.com/redshift-data/latest/APIReference/API_DescribeStatement.html).
// The failure is ERROR 1023, a serializable isolation violation, a failure Redshift really
// returns to any statement of a transaction that conflicted with another and rolls that
// transaction back, so nothing of the statement (or of its batch) takes effect
// (https://docs.aws.amazon.com/redshift/latest/dg/c_serial_isolation.html,
// https://docs.aws.amazon.com/redshift/latest/dg/c_serial_isolation-serializable-isolation-troubleshooting.html).
// Deterministic: the same seed fails the same statements in the order they start.

import { seededRandom } from '../seeded-random.js';

export interface InjectedFailureOptions {
  /** The share of statements (0–1) that fail, drawn once per statement from a sequence seeded by `seed`. */
  share?: number;
  seed?: number;
}

export class InjectedFailures {
  private random: () => number = () => 1;
  private share = 0;
  /** Statements failed since the last reset. */
  failed = 0;

  constructor(options: InjectedFailureOptions = {}) {
    this.reset(options);
  }

  reset(options: InjectedFailureOptions = {}): void {
    const { share = 0 } = options;
    if (!(share >= 0 && share <= 1)) throw new Error(`failure share must be between 0 and 1, got ${share}`);
    this.share = share;
    this.failed = 0;
    this.random = seededRandom(options.seed ?? 1);
  }

  /** Draws for one statement about to run; true when it is to fail. */
  next(): boolean {
    if (this.share === 0) return false;
    const fails = this.random() < this.share;
    if (fails) this.failed++;
    return fails;
  }
}

/** The text of an injected failure, worded as Redshift words ERROR 1023 (see redshift-errors.ts). */
export function injectedConflictText(table: string, pid: number | undefined): string {
  return `1023 DETAIL: Serializable isolation violation on table - ${table}, transactions forming the cycle are: ${pid ?? '?'} (pid:${pid ?? '?'})`;
}
