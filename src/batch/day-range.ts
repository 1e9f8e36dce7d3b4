// Whole UTC days: an interval cut into the days it spans, and the day before "now". A run over
// several days processes them one at a time, each its own batch, so each can be repeated alone.

import { isoDate, type Interval } from './interval.js';

export const DAY_MS = 86_400_000;

/** Starts and ends at UTC midnight. */
export function isWholeDays(interval: Interval): boolean {
  return interval.start.getTime() % DAY_MS === 0 && interval.end.getTime() % DAY_MS === 0;
}

/** The day [D, D+1) of `YYYY-MM-DD` or of a midnight instant. */
export function dayInterval(day: string | Date): Interval {
  const start = typeof day === 'string' ? new Date(`${day}T00:00:00Z`) : day;
  return { start, end: new Date(start.getTime() + DAY_MS) };
}

/** Every day of a whole-day interval, oldest first; any other interval stays one piece. */
export function splitIntoDays(interval: Interval): Interval[] {
  if (!isWholeDays(interval)) return [interval];
  const days: Interval[] = [];
  for (let start = interval.start.getTime(); start < interval.end.getTime(); start += DAY_MS) days.push(dayInterval(new Date(start)));
  return days;
}

/** `YYYY-MM-DD` of the day before `now` (UTC): the newest day that has ended. */
export function yesterdayOf(now: Date): string {
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return isoDate(new Date(today - DAY_MS));
}

/** `YYYY-MM-DD` plus `days`. */
export function addDays(day: string, days: number): string {
  return isoDate(new Date(new Date(`${day}T00:00:00Z`).getTime() + days * DAY_MS));
}

/** Days from `first` to `last`, both included; empty when last is before first. */
export function daysFrom(first: string, last: string): string[] {
  const days: string[] = [];
  for (let day = first; day <= last; day = addDays(day, 1)) days.push(day);
  return days;
}
