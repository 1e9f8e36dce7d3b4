// A source table with every type pgshift maps and the values that break naive pipelines:
// NULL vs empty string, quotes/commas/newlines/CR/backslashes/\N, emoji, numeric extremes,
// NaN and ±Infinity, timestamptz around a DST change, the first and last dates, nested JSON,
// arrays with NULLs, bytea, an enum, a domain, and a 200 kB text value.

import type { Queryable } from '../../src/sql/queryable.js';

export const ALL_TYPES_COLUMNS = [
  'id',
  'i2',
  'i4',
  'i8',
  'n_ps',
  'n_free',
  'f4',
  'f8',
  'b',
  't',
  'vc',
  'ch',
  'u',
  'd',
  'ts',
  'tstz',
  'tm',
  'iv',
  'js',
  'jb',
  'arr_int',
  'arr_text',
  'by',
  'mood',
  'email',
  'updated_at',
] as const;

export async function createAllTypesTable(client: Queryable, options: { withLargeText?: boolean } = {}): Promise<void> {
  await client.query(`
    create type mood as enum ('sad', 'ok', 'happy');
    create domain email_address as text check (value like '%@%');
    create table all_types (
      id int primary key, i2 smallint, i4 integer, i8 bigint, n_ps numeric(38,10), n_free numeric,
      f4 real, f8 double precision, b boolean, t text, vc varchar(20), ch char(5), u uuid, d date,
      ts timestamp, tstz timestamptz, tm time, iv interval, js json, jb jsonb, arr_int int[], arr_text text[],
      by bytea, mood mood, email email_address, updated_at timestamptz not null);
    insert into all_types values
      (1, -32768, -2147483648, -9223372036854775808, -9999999999999999999999999999.9999999999, 0.000000000000000000000000000001,
       -3.4e38, -1.7976931348623157e308, true, '', '', '', '00000000-0000-0000-0000-000000000000', '0001-01-01',
       '0001-01-01 00:00:00', '2026-03-29 00:59:59.999999+00', '00:00:00', '-178000000 years', '{}', '[]', '{}', '{}',
       '\\x', 'sad', 'a@b', '2026-11-23 00:00:00+00'),
      (2, 32767, 2147483647, 9223372036854775807, 9999999999999999999999999999.9999999999, 123456789012345678901234567890.123456789,
       3.4e38, 1.7976931348623157e308, false, 'quote " comma , newline
line two', 'CR' || chr(13) || 'LF', 'ab', 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11', '9999-12-31',
       '9999-12-31 23:59:59.999999', '2026-03-29 01:00:00+00', '23:59:59.999999', '1 year 2 mons 3 days 04:05:06.789',
       '{"a": {"b": [1, 2, {"c": null}]}, "s": "x\\"y"}', '{"nested": {"list": [1, "two", null, {"k": true}]}}',
       '{1,NULL,3}', '{"a,b","c\\"d",NULL,""}', '\\xdeadbeef00ff', 'happy', 'ü@example.com', '2026-11-23 01:00:00+00'),
      (3, null, null, null, null, null, 'NaN', 'NaN', null, null, null, null, null, null, null, null, null, null, null, null,
       null, null, null, null, null, '2026-11-23 02:00:00+00'),
      (4, 0, 0, 0, 0, 'NaN', 'Infinity', '-Infinity', true, 'back\\slash \\N and \\\\N', '\\N', 'x', null, '2026-10-25',
       '2026-10-25 01:30:00', '2026-10-25 00:59:59+00', '12:00', '-1 day', '"just a string"', 'null', '{{1,2},{3,4}}', '{NULL}',
       '\\x5c4e', 'ok', null, '2026-11-23 03:00:00+00'),
      (5, 1, 1, 1, 1.5, 1.5, 1.5, 0.1, false, '🦄 emoji ünïcödé 中文 👩‍👩‍👧', 'NULL', 'null', null, '2000-02-29',
       '2000-02-29 12:00:00', '2026-10-25 01:00:00+00', '00:00:00.000001', '00:00:00.000001', '[1, 2.5e10, "🦄"]', '{"emoji": "🦄"}',
       '{}', '{"🦄"}', '\\x00', 'sad', 'x@🦄.com', '2026-11-23 04:00:00+00'),
      (6, 2, 2, 2, 0.0000000001, -0.5, 'Infinity', '-0', true, ' leading and trailing spaces ', ' ', ' ', null, '1970-01-01',
       '1970-01-01 00:00:00', '1970-01-01 00:00:00+00', '24:00:00', '0', '{"multi\\nline": "v\\nw"}', '{"a": "\\u00e9"}',
       null, '{" spaced "}', null, 'happy', null, '2026-11-23 05:00:00+00'),
      (7, 3, 3, 3, 3, 3, -1e-38, 2.2250738585072014e-308, null, E'tab\\there, crlf\\r\\nend', 'comma,quote"', '"', null, null,
       null, '2026-11-23 23:59:59+00', null, null, null, null, null, null, null, null, null, '2026-11-23 06:00:00+00'),
      (8, 4, 4, 4, 4, 4, 4, 4, true, '"', ',', ',', null, null, null, null, null, null, null, null, '{NULL,NULL}', '{"\\\\"}', null, null, null,
       '2026-11-23 07:00:00+00');`);
  if (options.withLargeText !== false) {
    await client.query(`insert into all_types (id, t, updated_at) values (9, repeat('large text ✓ ', 200000 / 14), '2026-11-23 08:00:00+00')`);
  }
}
