// How `debug` and `smoke` print their checks: the table on stdout (one JSON line a check with
// --log-format json), and exit 1 when one failed.

import { InvalidArgumentError, Option } from 'commander';
import { checksFailed, formatCheckTable, type CheckResult } from '../api/check-results.js';
import { logger } from '../log/logger.js';
import { redact } from '../log/redact.js';

export function timeoutOption(): Option {
  return new Option('--timeout <seconds>', 'how long each check may take').default(30).argParser((value) => {
    const seconds = Number(value);
    if (!Number.isFinite(seconds) || seconds <= 0) throw new InvalidArgumentError('give a number of seconds above 0');
    return seconds;
  });
}

export function printCheckResults(results: readonly CheckResult[]): void {
  if (logger.format === 'json') {
    for (const result of results)
      logger.log(result.status === 'fail' ? 'error' : 'info', `${result.status} ${result.name}: ${result.detail}`, {
        check: result.name,
        status: result.status,
        ms: result.ms,
        docs: result.docs,
      });
  } else {
    process.stdout.write(`${redact(formatCheckTable(results))}\n`);
  }
  if (checksFailed(results)) process.exitCode = 1;
}
