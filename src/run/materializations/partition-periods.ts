// The periods of a range-partitioned table: which granularities a column type allows, and the
// bounds and name suffix of the partition that holds one period. Pure calendar arithmetic on the
// wall-clock text the warehouse printed, so no time zone enters.

export type Granularity = 'hour' | 'day' | 'month' | 'year';
/** How partition bounds are written: a date column takes dates, a timestamp column timestamps. */
export type BoundType = 'date' | 'timestamp';

export interface PeriodPartition {
  /** Inclusive lower and exclusive upper bound, as SQL literal text. */
  readonly from: string;
  readonly to: string;
  /** `2024_01` for a month, `2024_01_15` for a day, …: the partition's name ends in it. */
  readonly suffix: string;
}

const START = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):\d{2}:\d{2}$/;

/** The partition of the period starting at `start` (`YYYY-MM-DD HH24:MI:SS`, as to_char prints). */
export function periodPartition(start: string, granularity: Granularity, bound: BoundType): PeriodPartition {
  const match = START.exec(start);
  if (!match) throw new Error(`cannot read the period start ${JSON.stringify(start)} (expected YYYY-MM-DD HH:MM:SS)`);
  const [year, month, day, hour] = match.slice(1).map(Number) as [number, number, number, number];
  const from = new Date(Date.UTC(year, month - 1, day, hour));
  // Date.UTC maps years 0–99 to 1900–1999; setUTCFullYear puts them back.
  from.setUTCFullYear(year);
  const to = new Date(from);
  if (granularity === 'hour') to.setUTCHours(to.getUTCHours() + 1);
  else if (granularity === 'day') to.setUTCDate(to.getUTCDate() + 1);
  else if (granularity === 'month') to.setUTCMonth(to.getUTCMonth() + 1);
  else to.setUTCFullYear(to.getUTCFullYear() + 1);
  const parts = [pad(year, 4), pad(month, 2), pad(day, 2), pad(hour, 2)];
  const suffixParts = { year: 1, month: 2, day: 3, hour: 4 }[granularity];
  return { from: literal(from, bound), to: literal(to, bound), suffix: parts.slice(0, suffixParts).join('_') };
}

function literal(date: Date, bound: BoundType): string {
  const day = `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1, 2)}-${pad(date.getUTCDate(), 2)}`;
  return bound === 'date' ? day : `${day} ${pad(date.getUTCHours(), 2)}:00:00`;
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, '0');
}
