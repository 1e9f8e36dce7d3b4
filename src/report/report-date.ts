// Calendar arithmetic on 'YYYY-MM-DD' strings in UTC. The report works in whole days, so it
// never builds local-time Date objects that could shift a day across a time-zone boundary.

const DAY_MS = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

/** True for a real calendar day written YYYY-MM-DD (2026-02-30 is refused). */
export function isIsoDate(text: string): boolean {
  const match = ISO_DATE.exec(text);
  if (!match) return false;
  const time = Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3]));
  return new Date(time).toISOString().slice(0, 10) === text;
}

function toTime(date: string): number {
  return Date.parse(`${date}T00:00:00Z`);
}

function fromTime(time: number): string {
  return new Date(time).toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  return fromTime(toTime(date) + days * DAY_MS);
}

/** The first day of the month `months` months after the month of `date`. */
export function monthStart(date: string, months = 0): string {
  const [year, month] = date.split('-').map(Number) as [number, number];
  return fromTime(Date.UTC(year, month - 1 + months, 1));
}

/** `23 Nov` */
export function shortDay(date: string): string {
  const [, month, day] = date.split('-').map(Number) as [number, number, number];
  return `${day} ${MONTHS[month - 1]}`;
}

/** `Mon 23 Nov 2026` */
export function longDay(date: string): string {
  const weekday = WEEKDAYS[new Date(toTime(date)).getUTCDay()];
  return `${weekday} ${shortDay(date)} ${date.slice(0, 4)}`;
}

/** `Nov 2026` */
export function monthLabel(date: string): string {
  return `${MONTHS[Number(date.slice(5, 7)) - 1]} ${date.slice(0, 4)}`;
}
