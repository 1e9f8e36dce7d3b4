import { describe, expect, it } from 'vitest';
import { checksFailed, formatCheckTable, runChecks, type Check } from '../../src/diagnose/checks.js';

const check = (name: string, run: Check['run']): Check => ({ name, run });

describe('runChecks()', () => {
  it('runs every check, turning a thrown error into a failed row, and goes on', async () => {
    const results = await runChecks(
      [
        check('first', async () => ({ status: 'pass', detail: 'fine' })),
        check('second', async () => {
          throw new Error('connection refused');
        }),
        check('third', async () => ({ status: 'skip', detail: 'not for this target' })),
      ],
      { timeoutMs: 1_000, now: () => 0 },
    );
    expect(results).toEqual([
      { name: 'first', status: 'pass', detail: 'fine', ms: 0 },
      { name: 'second', status: 'fail', detail: 'connection refused', ms: 0 },
      { name: 'third', status: 'skip', detail: 'not for this target', ms: 0 },
    ]);
    expect(checksFailed(results)).toBe(true);
    expect(checksFailed(results.filter((result) => result.status !== 'fail'))).toBe(false);
  });

  it('fails a check that never answers, and tells it to stop', async () => {
    let aborted = false;
    const hanging = check('hangs', (signal) => {
      signal.addEventListener('abort', () => (aborted = true));
      return new Promise(() => {});
    });
    const [result] = await runChecks([hanging], { timeoutMs: 20 });
    expect(result).toMatchObject({ status: 'fail', detail: 'no answer within 0.02s' });
    expect(aborted).toBe(true);
  });
});

describe('formatCheckTable()', () => {
  it('prints a line a check, the page to read for each failure, and the counts', () => {
    const table = formatCheckTable([
      { name: 'source shop', status: 'pass', detail: 'PostgreSQL 15.4', ms: 3 },
      { name: 'COPY from staging', status: 'fail', detail: 'access denied', docs: 'https://docs.aws.amazon.com/x', ms: 5 },
    ]);
    expect(table.split('\n')).toEqual([
      'OK    source shop        PostgreSQL 15.4',
      'FAIL  COPY from staging  access denied',
      '',
      'COPY from staging: see https://docs.aws.amazon.com/x',
      '',
      '1 ok, 0 with warnings, 1 failing, 0 skipped',
    ]);
  });
});
