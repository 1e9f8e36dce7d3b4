// The flags every command that works on an interval shares: --date, or --start with --end.

import type { Command } from 'commander';
import { ALLOW_OPEN_INTERVAL_FLAG } from '../batch/interval.js';
import { CONTINUE_AFTER_FAILED_DAY_FLAG } from '../api/command-days.js';
import { ConfigError } from '../errors.js';
import { MAX_SLICES } from '../config/project-schema.js';
import { collect } from './selection-flags.js';

export function addIntervalOptions(command: Command): Command {
  return command
    .option('--date <YYYY-MM-DD>', 'the UTC day to process (default: every day after the last complete one, up to yesterday)')
    .option('--start <date|timestamp>', 'interval start, inclusive (with --end)')
    .option('--end <date|timestamp>', 'interval end, exclusive (with --start)')
    .option(ALLOW_OPEN_INTERVAL_FLAG, 'accept an interval that has not ended yet (today, or an --end in the future)')
    .option(CONTINUE_AFTER_FAILED_DAY_FLAG, 'over several days, go on with the next day after one fails (exit code still 1)');
}

export function addSelectionOptions(command: Command): Command {
  return command
    .option('-s, --select <selector...>', 'what to include (several values or repeated flags = union; comma = intersection)', collect, [])
    .option('--exclude <selector...>', 'what to leave out, applied last (several values or repeated flags)', collect, []);
}

export function parseThreads(value: string): number {
  const threads = Number(value);
  if (!Number.isInteger(threads) || threads < 1 || threads > 64) {
    throw new ConfigError(`--threads ${value}: expected a whole number from 1 to 64`);
  }
  return threads;
}

/** `--slices <n|auto>`: ranges of each table read at once under one snapshot (slices: in pgshift.yml). */
export function parseSlices(value: string): number | 'auto' {
  if (value === 'auto') return 'auto';
  const slices = Number(value);
  if (!Number.isInteger(slices) || slices < 1 || slices > MAX_SLICES) {
    throw new ConfigError(`--slices ${value}: expected auto or a whole number from 1 to ${MAX_SLICES}`);
  }
  return slices;
}
