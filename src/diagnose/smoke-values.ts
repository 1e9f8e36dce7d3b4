// The table of `pgshift smoke`: every column type pgshift maps to Redshift without a documented
// loss, holding the values that break naive pipelines, and the expressions that read each
// column back as the same text on the source and on either warehouse.

export interface SmokeColumn {
  readonly name: string;
  readonly type: string;
  /** How to read the column as comparable text; `$` stands for the quoted column. */
  readonly asText: string;
}

// TO_CHAR with HH24/MI/SS/US and AT TIME ZONE read the same on PostgreSQL and Redshift.
// https://docs.aws.amazon.com/redshift/latest/dg/r_TO_CHAR.html
// https://docs.aws.amazon.com/redshift/latest/dg/r_FORMAT_strings.html
// https://docs.aws.amazon.com/redshift/latest/dg/r_AT_TIME_ZONE.html
const TIMESTAMP_TEXT = "'YYYY-MM-DD HH24:MI:SS.US'";

export const SMOKE_COLUMNS: readonly SmokeColumn[] = [
  { name: 'id', type: 'integer primary key', asText: 'cast($ as varchar)' },
  { name: 'i2', type: 'smallint', asText: 'cast($ as varchar)' },
  { name: 'i8', type: 'bigint', asText: 'cast($ as varchar)' },
  { name: 'amount', type: 'numeric(18,4)', asText: 'cast($ as varchar)' },
  { name: 'ratio', type: 'double precision', asText: '$' },
  { name: 'flag', type: 'boolean', asText: "case when $ then 'true' when not $ then 'false' end" },
  { name: 'note', type: 'text', asText: '$' },
  { name: 'label', type: 'varchar(40)', asText: '$' },
  { name: 'day', type: 'date', asText: "to_char($, 'YYYY-MM-DD')" },
  { name: 'local_time', type: 'timestamp', asText: `to_char($, ${TIMESTAMP_TEXT})` },
  { name: 'happened_at', type: 'timestamptz', asText: `to_char($ at time zone 'UTC', ${TIMESTAMP_TEXT})` },
  { name: 'uid', type: 'uuid', asText: 'cast($ as varchar(36))' },
];

/**
 * NULL next to '', the text \N, quotes, delimiters, newlines, CR, backslashes, emoji, spaces,
 * integer and decimal extremes, and timestamps at the ends of a day and across a DST change.
 */
export const SMOKE_ROWS_SQL = `
  (1, -32768, -9223372036854775808, -99999999999999.9999, -1.7976931348623157e308, true, '', '', '0001-01-01',
   '0001-01-01 00:00:00', '2026-03-29 00:59:59.999999+00', '00000000-0000-0000-0000-000000000000'),
  (2, 32767, 9223372036854775807, 99999999999999.9999, 1.7976931348623157e308, false, 'quote " comma , newline
line two', 'CR' || chr(13) || 'LF', '9999-12-31', '9999-12-31 23:59:59.999999', '2026-03-29 01:00:00+00',
   'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'),
  (3, null, null, null, null, null, null, null, null, null, null, null),
  (4, 0, 0, 0, 0, true, 'back\\slash \\N and \\\\N', '\\N', '2026-10-25', '2026-10-25 01:30:00', '2026-10-25 00:59:59+00', null),
  (5, 1, 1, 0.0001, 2.2250738585072014e-308, false, '🦄 emoji ünïcödé 中文 👩‍👩‍👧', 'NULL', '2000-02-29', '2000-02-29 12:00:00',
   '2026-10-25 01:00:00.000001+00', null),
  (6, 2, 2, -0.5, -0.0, true, ' leading and trailing spaces ', ' ', '1970-01-01', '1970-01-01 00:00:00', '1970-01-01 00:00:00+00', null),
  (7, 3, 3, 3, 0.1, null, E'tab\\there, crlf\\r\\nend', 'comma,quote"', null, null, '2026-11-23 23:59:59+00', null),
  (8, 4, 4, 4, 4, true, '"', ',', null, null, null, null)`;

export const SMOKE_ROW_COUNT = 8;

/** `select <each column as text> from <relation> order by id`, for either side. */
export function smokeReadBackSql(relation: string, quote: (name: string) => string): string {
  const columns = SMOKE_COLUMNS.map((column) => `${column.asText.replaceAll('$', quote(column.name))} as ${quote(column.name)}`);
  return `select ${columns.join(', ')} from ${relation} order by ${quote('id')}`;
}

export interface ValueMismatch {
  readonly id: string;
  readonly column: string;
  readonly source: string | null;
  readonly warehouse: string | null;
}

/** Every cell that differs, comparing doubles as numbers and everything else as text. */
export function compareSmokeRows(source: readonly Record<string, unknown>[], warehouse: readonly Record<string, unknown>[]): ValueMismatch[] {
  const mismatches: ValueMismatch[] = [];
  const count = Math.max(source.length, warehouse.length);
  for (let index = 0; index < count; index++) {
    const left = source[index];
    const right = warehouse[index];
    const id = String(left?.id ?? right?.id ?? `#${index + 1}`);
    for (const column of SMOKE_COLUMNS) {
      const expected = normalise(left?.[column.name], column);
      const actual = normalise(right?.[column.name], column);
      if (expected !== actual) mismatches.push({ id, column: column.name, source: expected, warehouse: actual });
    }
  }
  return mismatches;
}

function normalise(value: unknown, column: SmokeColumn): string | null {
  if (value === null || value === undefined) return null;
  if (column.type === 'double precision') return String(Number(value));
  return String(value);
}
