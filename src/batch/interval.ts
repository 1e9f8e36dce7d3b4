// The half-open time interval [start, end) that one run extracts, and the batch id derived
// from it: the same interval always yields the same batch id, which is what makes reruns replace.

import { ConfigError } from '../errors.js';

export interface Interval {
  readonly start: Date;
  readonly end: Date;
}

const DAY_MS = 86_400_000;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

export interface IntervalFlags {
  date?: string;
  start?: string;
  end?: string;
}

/** --date D is [D, D+1); --start/--end are explicit; nothing at all means yesterday (UTC). */
export function intervalFromFlags(flags: IntervalFlags, now: Date = new Date()): Interval {
  if (flags.date && (flags.start || flags.end)) {
    throw new ConfigError('--date cannot be combined with --start/--end; use one or the other');
  }
  if (flags.date) {
    const start = parseInstant(flags.date, '--date');
    if (!DATE_ONLY.test(flags.date)) throw new ConfigError(`--date ${flags.date}: expected YYYY-MM-DD`);
    return { start, end: new Date(start.getTime() + DAY_MS) };
  }
  if (flags.start || flags.end) {
    if (!flags.start || !flags.end) throw new ConfigError('--start and --end go together; give both (end is exclusive)');
    const start = parseInstant(flags.start, '--start');
    const end = parseInstant(flags.end, '--end');
    if (end <= start) throw new ConfigError(`--end ${flags.end} must be after --start ${flags.start}`);
    return { start, end };
  }
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return { start: new Date(today - DAY_MS), end: new Date(today) };
}

function parseInstant(text: string, flag: string): Date {
  const iso = DATE_ONLY.test(text) ? `${text}T00:00:00Z` : text;
  const hasZone = /(Z|[+-]\d{2}:?\d{2})$/.test(iso);
  const value = new Date(hasZone ? iso : `${iso}Z`);
  if (Number.isNaN(value.getTime())) {
    throw new ConfigError(`${flag} ${text}: expected YYYY-MM-DD or an ISO timestamp such as 2026-11-23T06:00:00Z`);
  }
  return value;
}

/** `2026-11-23` for one whole UTC day, `2026-11-20_2026-11-23` for whole days, else timestamps. */
export function batchIdFor(interval: Interval): string {
  const wholeDays = interval.start.getTime() % DAY_MS === 0 && interval.end.getTime() % DAY_MS === 0;
  if (wholeDays) {
    const first = isoDate(interval.start);
    const days = (interval.end.getTime() - interval.start.getTime()) / DAY_MS;
    return days === 1 ? first : `${first}_${isoDate(new Date(interval.end.getTime() - DAY_MS))}`;
  }
  return `${compact(interval.start)}_${compact(interval.end)}`;
}

export function isoDate(value: Date): string {
  return value.toISOString().slice(0, 10);
}

function compact(value: Date): string {
  return value
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

export function describeInterval(interval: Interval): string {
  return `[${interval.start.toISOString()}, ${interval.end.toISOString()})`;
}
