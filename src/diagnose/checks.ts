// A check is one question `pgshift debug` asks of the configuration or a connection; this runs
// a list of them, each bounded by a timeout, and keeps going after a failure so one run shows
// every problem at once.

export type CheckStatus = 'pass' | 'warn' | 'fail' | 'skip';

export interface CheckOutcome {
  readonly status: CheckStatus;
  /** One line: what was found, or what is wrong and what to do. */
  readonly detail: string;
  /** The page to read when the check fails. */
  readonly docs?: string;
}

export interface Check {
  readonly name: string;
  run(signal: AbortSignal): Promise<CheckOutcome>;
}

export interface CheckResult extends CheckOutcome {
  readonly name: string;
  readonly ms: number;
}

export class CheckTimeout extends Error {
  override name = 'CheckTimeout';
}

/** Runs every check in order; a check that throws or outlives `timeoutMs` fails with the reason. */
export async function runChecks(checks: readonly Check[], options: { timeoutMs: number; now?: () => number }): Promise<CheckResult[]> {
  const now = options.now ?? Date.now;
  const results: CheckResult[] = [];
  for (const check of checks) {
    const started = now();
    const outcome = await withTimeout(check, options.timeoutMs).catch(
      (error: unknown): CheckOutcome => ({ status: 'fail', detail: error instanceof Error ? error.message : String(error) }),
    );
    results.push({ name: check.name, ...outcome, ms: now() - started });
  }
  return results;
}

async function withTimeout(check: Check, timeoutMs: number): Promise<CheckOutcome> {
  const abort = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      abort.abort();
      reject(new CheckTimeout(`no answer within ${timeoutMs / 1000}s`));
    }, timeoutMs);
  });
  try {
    return await Promise.race([check.run(abort.signal), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function checksFailed(results: readonly CheckResult[]): boolean {
  return results.some((result) => result.status === 'fail');
}

const MARK: Record<CheckStatus, string> = { pass: 'OK  ', warn: 'WARN', fail: 'FAIL', skip: 'SKIP' };

/** A plain-text table: one line a check, then the docs of the failed ones. */
export function formatCheckTable(results: readonly CheckResult[]): string {
  const width = Math.max(...results.map((result) => result.name.length), 5);
  const lines = results.map((result) => `${MARK[result.status]}  ${result.name.padEnd(width)}  ${result.detail}`);
  const failed = results.filter((result) => result.status !== 'pass' && result.docs);
  if (failed.length > 0) lines.push('', ...failed.map((result) => `${result.name}: see ${result.docs}`));
  const count = (status: CheckStatus): number => results.filter((result) => result.status === status).length;
  lines.push('', `${count('pass')} ok, ${count('warn')} with warnings, ${count('fail')} failing, ${count('skip')} skipped`);
  return lines.join('\n');
}
