// Python's datetime module as dbt exposes it under modules.datetime: datetime, date and
// timedelta with their common methods, strftime/strptime for the common directives, and
// `+`/`-` between them (the template runtime's pyAdd/pySub). Times are naive and read as
// UTC; now() is the run's clock, handed in, so a compilation is reproducible.
// https://docs.getdbt.com/reference/dbt-jinja-functions/modules

import { CompileError } from '../errors.js';

const DAY_MS = 86_400_000;
const WEEKDAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'];
const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

type Keywords = Record<string, unknown>;

function splitKeywords(args: unknown[]): [unknown[], Keywords] {
  const last = args[args.length - 1];
  if (typeof last === 'object' && last !== null && Object.hasOwn(last, '__keywords')) return [args.slice(0, -1), last as Keywords];
  return [args, {}];
}

function argument(args: unknown[], kwargs: Keywords, index: number, name: string, fallback: number): number {
  const value = args[index] ?? kwargs[name] ?? fallback;
  if (typeof value !== 'number') throw new CompileError(`datetime: ${name} must be a number, got ${JSON.stringify(value)}`);
  return value;
}

export class PyTimedelta {
  /** Whole microseconds, so sums stay exact. */
  constructor(readonly micros: number) {}
  static of(...raw: unknown[]): PyTimedelta {
    const [args, kwargs] = splitKeywords(raw);
    const names = ['days', 'seconds', 'microseconds', 'milliseconds', 'minutes', 'hours', 'weeks'] as const;
    const scale = [86_400e6, 1e6, 1, 1e3, 60e6, 3_600e6, 604_800e6];
    return new PyTimedelta(Math.round(names.reduce((sum, name, i) => sum + argument(args, kwargs, i, name, 0) * scale[i]!, 0)));
  }
  get days(): number {
    return Math.floor(this.micros / 86_400e6);
  }
  get seconds(): number {
    return Math.floor((this.micros - this.days * 86_400e6) / 1e6);
  }
  get microseconds(): number {
    return this.micros - this.days * 86_400e6 - this.seconds * 1e6;
  }
  total_seconds(): number {
    return this.micros / 1e6;
  }
  valueOf(): number {
    return this.micros;
  }
  toString(): string {
    const s = this.seconds;
    const clock = `${Math.floor(s / 3600)}:${pad(Math.floor(s / 60) % 60)}:${pad(s % 60)}${this.microseconds ? `.${pad(this.microseconds, 6)}` : ''}`;
    return this.days === 0 ? clock : `${this.days} day${Math.abs(this.days) === 1 ? '' : 's'}, ${clock}`;
  }
}

export class PyDate {
  /** Milliseconds since the epoch at UTC midnight. */
  constructor(readonly ms: number) {}
  static of(...raw: unknown[]): PyDate {
    const [args, kwargs] = splitKeywords(raw);
    return new PyDate(utc(argument(args, kwargs, 0, 'year', 1970), argument(args, kwargs, 1, 'month', 1), argument(args, kwargs, 2, 'day', 1), 0, 0, 0, 0));
  }
  get year(): number {
    return new Date(this.ms).getUTCFullYear();
  }
  get month(): number {
    return new Date(this.ms).getUTCMonth() + 1;
  }
  get day(): number {
    return new Date(this.ms).getUTCDate();
  }
  weekday(): number {
    return (new Date(this.ms).getUTCDay() + 6) % 7;
  }
  isoweekday(): number {
    return this.weekday() + 1;
  }
  isoformat(): string {
    return `${pad(this.year, 4)}-${pad(this.month)}-${pad(this.day)}`;
  }
  strftime(format: unknown): string {
    return strftime(this.ms, 0, String(format));
  }
  replace(...raw: unknown[]): PyDate {
    const [, kwargs] = splitKeywords(raw);
    return PyDate.of({ year: this.year, month: this.month, day: this.day, ...kwargs, __keywords: true });
  }
  valueOf(): number {
    return this.ms;
  }
  toString(): string {
    return this.isoformat();
  }
}

export class PyDatetime extends PyDate {
  /** `ms` as in PyDate; `micro` the microseconds within that millisecond. */
  constructor(
    ms: number,
    readonly micro = 0,
  ) {
    super(ms);
  }
  static override of(...raw: unknown[]): PyDatetime {
    const [args, kwargs] = splitKeywords(raw);
    const get = (i: number, name: string, fallback: number) => argument(args, kwargs, i, name, fallback);
    const us = get(6, 'microsecond', 0);
    return new PyDatetime(
      utc(get(0, 'year', 1970), get(1, 'month', 1), get(2, 'day', 1), get(3, 'hour', 0), get(4, 'minute', 0), get(5, 'second', 0), Math.floor(us / 1000)),
      us % 1000,
    );
  }
  get hour(): number {
    return new Date(this.ms).getUTCHours();
  }
  get minute(): number {
    return new Date(this.ms).getUTCMinutes();
  }
  get second(): number {
    return new Date(this.ms).getUTCSeconds();
  }
  get microsecond(): number {
    return new Date(this.ms).getUTCMilliseconds() * 1000 + this.micro;
  }
  date(): PyDate {
    return new PyDate(Math.floor(this.ms / DAY_MS) * DAY_MS);
  }
  timestamp(): number {
    return this.ms / 1000 + this.micro / 1e6;
  }
  override isoformat(separator: unknown = 'T'): string {
    const us = this.microsecond;
    return `${super.isoformat()}${String(separator)}${pad(this.hour)}:${pad(this.minute)}:${pad(this.second)}${us ? `.${pad(us, 6)}` : ''}`;
  }
  override strftime(format: unknown): string {
    return strftime(this.ms, this.micro, String(format));
  }
  override replace(...raw: unknown[]): PyDatetime {
    const [, kwargs] = splitKeywords(raw);
    const fields = {
      year: this.year,
      month: this.month,
      day: this.day,
      hour: this.hour,
      minute: this.minute,
      second: this.second,
      microsecond: this.microsecond,
    };
    return PyDatetime.of({ ...fields, ...kwargs, __keywords: true });
  }
  override toString(): string {
    return this.isoformat(' ');
  }
}

function utc(year: number, month: number, day: number, hour: number, minute: number, second: number, ms: number): number {
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, ms);
  return date.getTime();
}

function strftime(ms: number, micro: number, format: string): string {
  const d = new Date(ms);
  const hour = d.getUTCHours();
  const weekday = (d.getUTCDay() + 6) % 7;
  const dayOfYear = Math.floor((ms - Date.UTC(d.getUTCFullYear(), 0, 1)) / DAY_MS) + 1;
  const codes: Record<string, () => string> = {
    Y: () => pad(d.getUTCFullYear(), 4),
    y: () => pad(d.getUTCFullYear() % 100),
    m: () => pad(d.getUTCMonth() + 1),
    d: () => pad(d.getUTCDate()),
    H: () => pad(hour),
    I: () => pad(hour % 12 === 0 ? 12 : hour % 12),
    p: () => (hour < 12 ? 'AM' : 'PM'),
    M: () => pad(d.getUTCMinutes()),
    S: () => pad(d.getUTCSeconds()),
    f: () => pad(d.getUTCMilliseconds() * 1000 + micro, 6),
    j: () => pad(dayOfYear, 3),
    a: () => WEEKDAYS[weekday]!.slice(0, 3),
    A: () => WEEKDAYS[weekday]!,
    w: () => String((weekday + 1) % 7),
    b: () => MONTHS[d.getUTCMonth()]!.slice(0, 3),
    B: () => MONTHS[d.getUTCMonth()]!,
    z: () => '',
    Z: () => '',
    '%': () => '%',
  };
  return format.replace(/%(.)/g, (all, code: string) => (codes[code] ? codes[code]() : all));
}

const PARSE: Record<string, string> = {
  Y: '(?<Y>\\d{4})',
  y: '(?<y>\\d{2})',
  m: '(?<m>\\d{1,2})',
  d: '(?<d>\\d{1,2})',
  H: '(?<H>\\d{1,2})',
  I: '(?<I>\\d{1,2})',
  p: '(?<p>AM|PM|am|pm)',
  M: '(?<M>\\d{1,2})',
  S: '(?<S>\\d{1,2})',
  f: '(?<f>\\d{1,6})',
  j: '(?<j>\\d{1,3})',
  b: '(?<b>[A-Za-z]{3})',
  B: '(?<B>[A-Za-z]+)',
  a: '[A-Za-z]{3}',
  A: '[A-Za-z]+',
  z: '(?:[+-]\\d{4}|Z)?',
  '%': '%',
};

export function strptime(text: unknown, format: unknown): PyDatetime {
  const source = String(format);
  const pattern = source.replace(/%(.)|([.*+?^${}()|[\]\\])/g, (_all, code: string | undefined, special: string | undefined) => {
    if (special) return `\\${special}`;
    const part = PARSE[code!];
    if (!part) throw new CompileError(`strptime(): the directive %${code} is not supported`);
    return part;
  });
  const match = new RegExp(`^${pattern}$`).exec(String(text));
  if (!match) throw new CompileError(`strptime(): time data ${JSON.stringify(text)} does not match format ${JSON.stringify(source)}`);
  const g = match.groups ?? {};
  const num = (key: string, fallback: number): number => (g[key] === undefined ? fallback : Number(g[key]));
  const monthName = g.B ?? g.b;
  const month = monthName ? MONTHS.findIndex((name) => name.toLowerCase().startsWith(monthName.toLowerCase())) + 1 : num('m', 1);
  let hour = num('H', num('I', 0));
  if (g.p) hour = (hour % 12) + (g.p.toUpperCase() === 'PM' ? 12 : 0);
  const year = g.Y ? Number(g.Y) : g.y ? 2000 + Number(g.y) - (Number(g.y) >= 69 ? 100 : 0) : 1900;
  const micro = g.f ? Number(g.f.padEnd(6, '0')) : 0;
  const base = utc(year, month, num('d', 1), hour, num('M', 0), num('S', 0), Math.floor(micro / 1000));
  const ms = g.j ? utc(year, 1, 1, hour, num('M', 0), num('S', 0), Math.floor(micro / 1000)) + (Number(g.j) - 1) * DAY_MS : base;
  return new PyDatetime(ms, micro % 1000);
}

/** Splits microseconds into the (ms, micro) pair of a PyDatetime. */
function atMicros(totalMicros: number): PyDatetime {
  const ms = Math.floor(totalMicros / 1000);
  return new PyDatetime(ms, totalMicros - ms * 1000);
}

const microsOf = (value: PyDate): number => value.ms * 1000 + (value instanceof PyDatetime ? value.micro : 0);

/** Python's `+`: lists concatenate, a timedelta moves a date or datetime. */
export function pyAdd(left: unknown, right: unknown): unknown {
  if (Array.isArray(left) && Array.isArray(right)) return [...left, ...right];
  if (left instanceof PyTimedelta && right instanceof PyDate) return pyAdd(right, left);
  if (left instanceof PyDate && right instanceof PyTimedelta) {
    if (left instanceof PyDatetime) return atMicros(microsOf(left) + right.micros);
    return new PyDate(left.ms + Math.trunc(right.micros / 86_400e6) * DAY_MS);
  }
  if (left instanceof PyTimedelta && right instanceof PyTimedelta) return new PyTimedelta(left.micros + right.micros);
  return (left as number) + (right as number);
}

/** Python's `-`: date minus timedelta, and the timedelta between two dates or datetimes. */
export function pySub(left: unknown, right: unknown): unknown {
  if (left instanceof PyDate && right instanceof PyTimedelta) return pyAdd(left, new PyTimedelta(-right.micros));
  if (left instanceof PyDate && right instanceof PyDate) return new PyTimedelta(microsOf(left) - microsOf(right));
  if (left instanceof PyTimedelta && right instanceof PyTimedelta) return new PyTimedelta(left.micros - right.micros);
  return (left as number) - (right as number);
}

/** modules.datetime; `now` is the run's start time as an ISO string. */
export function datetimeModule(now: () => string) {
  const current = (): PyDatetime => {
    const ms = Date.parse(now());
    if (Number.isNaN(ms)) throw new CompileError(`datetime.now(): the run's start time ${JSON.stringify(now())} is not an ISO timestamp`);
    return new PyDatetime(ms);
  };
  const datetime = Object.assign((...args: unknown[]) => PyDatetime.of(...args), {
    now: current,
    utcnow: current,
    today: current,
    strptime,
    fromisoformat: (text: unknown) => {
      const ms = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(String(text)) ? String(text) : `${String(text)}Z`);
      if (Number.isNaN(ms)) throw new CompileError(`fromisoformat(): invalid isoformat string ${JSON.stringify(text)}`);
      return new PyDatetime(ms);
    },
    fromtimestamp: (seconds: unknown) => atMicros(Math.round(Number(seconds) * 1e6)),
  });
  const date = Object.assign((...args: unknown[]) => PyDate.of(...args), {
    today: () => current().date(),
    fromisoformat: (text: unknown) => {
      const value = strptime(text, '%Y-%m-%d');
      return new PyDate(value.ms);
    },
  });
  return { datetime, date, timedelta: (...args: unknown[]) => PyTimedelta.of(...args) };
}
