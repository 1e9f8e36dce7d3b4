// A unit test's verdict: the model's rows against the expected rows, over the expected columns,
// as multisets (order does not matter, duplicates do), as dbt compares them. Values are compared
// by what they mean, not how a driver spells them: `10.50` equals 10.5, `true` equals 't'
// written as true, a timestamp with `T` equals one with a space.
// https://docs.getdbt.com/docs/build/unit-tests

export type Row = Readonly<Record<string, unknown>>;

export interface RowDiff {
  /** Expected rows the model did not return. */
  readonly missing: readonly Row[];
  /** Rows the model returned that were not expected. */
  readonly unexpected: readonly Row[];
}

/** Compares over `columns` (the expected rows' columns); `actual` rows may hold more. */
export function diffRows(columns: readonly string[], expected: readonly Row[], actual: readonly Row[]): RowDiff {
  const keyOf = (row: Row): string => JSON.stringify(columns.map((column) => canonical(row[column])));
  const pending = new Map<string, Row[]>();
  for (const row of expected) {
    const key = keyOf(row);
    pending.set(key, [...(pending.get(key) ?? []), row]);
  }
  const unexpected: Row[] = [];
  for (const row of actual) {
    const waiting = pending.get(keyOf(row));
    if (waiting && waiting.length > 0) waiting.pop();
    else unexpected.push(pick(row, columns));
  }
  return { missing: [...pending.values()].flat(), unexpected };
}

/** The failure's text: counts, then each row, missing ones with `-`, unexpected with `+`. */
export function describeDiff(diff: RowDiff, columns: readonly string[], limit = 20): string {
  const lines = [`${diff.missing.length} expected row(s) missing, ${diff.unexpected.length} unexpected row(s)`];
  const show = (sign: string, rows: readonly Row[]): void => {
    for (const row of rows.slice(0, limit)) lines.push(`  ${sign} ${formatRow(row, columns)}`);
    if (rows.length > limit) lines.push(`  ${sign} … and ${rows.length - limit} more`);
  };
  show('-', diff.missing);
  show('+', diff.unexpected);
  return lines.join('\n');
}

function formatRow(row: Row, columns: readonly string[]): string {
  return `{${columns.map((column) => `${column}: ${display(row[column])}`).join(', ')}}`;
}

function display(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  // Numbers read as numbers, whichever type the driver gave them (numeric and bigint come as text).
  if (typeof value === 'string') return NUMBER.test(value) ? value : JSON.stringify(value);
  if (value instanceof Date) return value.toISOString();
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}

function pick(row: Row, columns: readonly string[]): Row {
  return Object.fromEntries(columns.map((column) => [column, row[column]]));
}

const NUMBER = /^[+-]?(\d+\.?\d*|\.\d+)$/;
const TIMESTAMP = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2})(:\d{2})?(\.\d+)?(Z|[+-]\d{2}(?::?\d{2})?)?$/;

/** One spelling per meaning. */
export function canonical(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number' || typeof value === 'bigint') return canonicalNumber(String(value));
  if (value instanceof Date) return canonicalTimestamp(value.toISOString()) ?? value.toISOString();
  if (typeof value === 'object') return JSON.stringify(value);
  const text = String(value);
  if (NUMBER.test(text)) return canonicalNumber(text);
  return canonicalTimestamp(text) ?? text;
}

function canonicalNumber(text: string): string {
  if (/e/i.test(text)) return String(Number(text));
  let [whole = '', fraction = ''] = text.replace(/^\+/, '').split('.');
  const negative = whole.startsWith('-');
  whole = whole.replace(/^-/, '').replace(/^0+(?=\d)/, '') || '0';
  fraction = fraction.replace(/0+$/, '');
  const digits = fraction ? `${whole}.${fraction}` : whole;
  return negative && digits !== '0' ? `-${digits}` : digits;
}

/** `2024-01-02T03:04:00.000Z` and `2024-01-02 03:04:00` alike; a zero offset is no offset. */
function canonicalTimestamp(text: string): string | undefined {
  const match = TIMESTAMP.exec(text);
  if (!match) return undefined;
  const [, date, minutes, seconds = ':00', fraction = '', zone = ''] = match;
  const fractionDigits = fraction.replace(/0+$/, '');
  const offset = /^(Z|[+-]00(:?00)?)$/.test(zone) ? '' : zone;
  return `${date} ${minutes}${seconds}${fractionDigits === '.' ? '' : fractionDigits}${offset}`;
}
