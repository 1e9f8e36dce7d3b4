// The half-open time interval [start, end) that one run extracts, and the batch id derived
// from it: the same interval always yields the same batch id, which is what makes reruns replace.

import { ConfigError } from '../errors.js';
import { currentTime } from './clock.js';

export interface Interval {
  readonly start: Date;
  readonly end: Date;
}

const DAY_MS = 86_400_000;
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
// A date, or a date and a time with optional seconds, fraction and zone: the ISO 8601 forms
// people type. Anything else (23/11/2026, "yesterday") is refused rather than guessed at.
const INSTANT = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

export interface IntervalFlags {
  date?: string;
  start?: string;
  end?: string;
  /** Accept an interval that ends after now (a day still in progress); refused by default. */
  allowOpenInterval?: boolean;
  /** Over several days: go on with the next day after one fails (the command still fails). */
  continueAfterFailedDay?: boolean;
}

/** The flag that lets an interval end in the future; its name appears in the refusal. */
export const ALLOW_OPEN_INTERVAL_FLAG = '--allow-open-interval';

/** --date D is [D, D+1); --start/--end are explicit; nothing at all means yesterday (UTC). */
export function intervalFromFlags(flags: IntervalFlags, now: Date = currentTime()): Interval {
  if (flags.date && (flags.start || flags.end)) {
    throw new ConfigError('--date cannot be combined with --start/--end; use one or the other');
  }
  if (flags.date) {
    const start = parseInstant(flags.date, '--date');
    if (!DATE_ONLY.test(flags.date)) throw new ConfigError(`--date ${flags.date}: expected YYYY-MM-DD`);
    return refuseOpen({ start, end: new Date(start.getTime() + DAY_MS) }, `--date ${flags.date}`, flags, now);
  }
  if (flags.start || flags.end) {
    if (!flags.start || !flags.end) throw new ConfigError('--start and --end go together; give both (end is exclusive)');
    const start = parseInstant(flags.start, '--start');
    const end = parseInstant(flags.end, '--end');
    if (end <= start) throw new ConfigError(`--end ${flags.end} must be after --start ${flags.start}`);
    return refuseOpen({ start, end }, `--end ${flags.end}`, flags, now);
  }
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return { start: new Date(today - DAY_MS), end: new Date(today) };
}

// Rows of an interval that has not ended can still arrive; its batch would be replaced later
// by one with more rows, so processing it is a choice the caller has to make out loud.
function refuseOpen(interval: Interval, flag: string, flags: IntervalFlags, now: Date): Interval {
  if (interval.end.getTime() > now.getTime() && !flags.allowOpenInterval) {
    throw new ConfigError(
      `${flag}: the interval ${describeInterval(interval)} has not ended yet (now ${now.toISOString()}); pick an interval in the past, or pass ${ALLOW_OPEN_INTERVAL_FLAG} to process it while rows may still arrive`,
    );
  }
  return interval;
}

/** A real calendar date or time: JavaScript's Date would roll 2026-02-30 over to March 2. */
export function parseInstant(text: string, flag: string): Date {
  const match = INSTANT.exec(text);
  if (!match) {
    throw new ConfigError(`${flag} ${text}: expected YYYY-MM-DD or an ISO timestamp such as 2026-11-23T06:00:00Z`);
  }
  const [, year, month, day, hour = '00', minute = '00', second = '00', fraction = '', zone = 'Z'] = match;
  const calendarDay = `${year}-${month}-${day}`;
  const rolled = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  if (Number(year) < 1 || rolled.toISOString().slice(0, 10) !== calendarDay) {
    throw new ConfigError(`${flag} ${text}: ${calendarDay} is not a day of the calendar; give a real date as YYYY-MM-DD`);
  }
  const offset = /^[+-](\d{2}):?(\d{2})$/.exec(zone);
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59 || (offset && (Number(offset[1]) > 23 || Number(offset[2]) > 59))) {
    throw new ConfigError(`${flag} ${text}: not a time of day; hours run 00-23, minutes and seconds 00-59`);
  }
  const normalZone = zone === 'Z' ? 'Z' : `${zone.slice(0, 3)}:${zone.slice(-2)}`;
  return new Date(`${calendarDay}T${hour}:${minute}:${second}${fraction.slice(0, 4)}${normalZone}`);
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
