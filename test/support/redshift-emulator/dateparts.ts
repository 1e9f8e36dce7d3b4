// Redshift's date part names and abbreviations, each with the PostgreSQL unit it means. Both the
// SQL translator (bare keywords) and the installed DATEADD/DATEDIFF functions read this table.
// https://docs.aws.amazon.com/redshift/latest/dg/r_Dateparts_for_datetime_functions.html

const SPELLINGS: Record<string, readonly string[]> = {
  millennium: ['millennium', 'millennia', 'mil', 'mils'],
  century: ['century', 'centuries', 'c', 'cent', 'cents'],
  decade: ['decade', 'decades', 'dec', 'decs'],
  epoch: ['epoch'],
  year: ['year', 'years', 'y', 'yr', 'yrs'],
  quarter: ['quarter', 'quarters', 'qtr', 'qtrs'],
  month: ['month', 'months', 'mon', 'mons'],
  week: ['week', 'weeks', 'w'],
  dow: ['dayofweek', 'dow', 'dw', 'weekday'],
  doy: ['dayofyear', 'doy', 'dy', 'yearday'],
  day: ['day', 'days', 'd'],
  hour: ['hour', 'hours', 'h', 'hr', 'hrs'],
  minute: ['minute', 'minutes', 'm', 'min', 'mins'],
  second: ['second', 'seconds', 's', 'sec', 'secs'],
  millisecond: ['millisecond', 'milliseconds', 'ms', 'msec', 'msecs', 'msecond', 'mseconds', 'millisec', 'millisecs', 'millisecon'],
  microsecond: ['microsecond', 'microseconds', 'microsec', 'microsecs', 'usecond', 'useconds', 'us', 'usec', 'usecs'],
  timezone: ['timezone'],
  timezone_hour: ['timezone_hour'],
  timezone_minute: ['timezone_minute'],
};

/** Every spelling Redshift accepts, lower-cased, to the PostgreSQL unit name. */
export const DATEPARTS: ReadonlyMap<string, string> = new Map(
  Object.entries(SPELLINGS).flatMap(([unit, spellings]) => spellings.map((spelling) => [spelling, unit] as const)),
);

/** Units DATEADD and DATEDIFF take; the others (epoch, dow, …) only make sense to DATE_PART. */
export const INTERVAL_DATEPARTS: readonly string[] = [
  'millennium',
  'century',
  'decade',
  'year',
  'quarter',
  'month',
  'week',
  'day',
  'hour',
  'minute',
  'second',
  'millisecond',
  'microsecond',
];

/** A spelling as its PostgreSQL unit, or undefined when Redshift does not know it. */
export function datepartUnit(spelling: string): string | undefined {
  return DATEPARTS.get(spelling.trim().toLowerCase());
}
