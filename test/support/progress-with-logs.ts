// Draws the live extract progress on this process's terminal while logging lines, as a
// running extract does; test/e2e/progress-terminal.test.ts runs it in tmux and reads the screen.

import { setTimeout as sleep } from 'node:timers/promises';
import { ExtractProgress } from '../../src/extract/extract-progress.js';
import type { LiveCounters } from '../../src/extract/extract-table.js';
import { logger } from '../../src/log/logger.js';

const INTERVAL_MS = 20;

function counters(table: string): LiveCounters {
  let rows = 0;
  return { table, rows: () => (rows += 1_000), bytesIn: () => rows * 100, bytesOut: () => rows * 10 };
}

const progress = new ExtractProgress({ interactive: true, intervalMs: INTERVAL_MS });
progress.track(counters('shop.orders'));
progress.track(counters('shop.customers'));
for (let line = 1; line <= 8; line++) {
  // Several redraws between two log lines, so each log line is followed by redraws.
  await sleep(INTERVAL_MS * 4);
  logger.info(`log line ${line} of 8`);
}
await sleep(INTERVAL_MS * 4);
progress.done('shop.orders');
progress.done('shop.customers');
process.stderr.write('PROGRESS DONE\n');
