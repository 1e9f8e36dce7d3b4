// Column names and types of a seed table: `column_types` where the config names one, else
// inferred from every value of the column (NULLs aside), choosing the narrowest type all fit.
//
// | values (all of them)            | PostgreSQL               | Redshift                    |
// |---------------------------------|--------------------------|-----------------------------|
// | integers within ±2^31           | integer                  | integer                     |
// | larger integers, within ±2^63   | bigint                   | bigint                      |
// | integers and decimals           | numeric                  | numeric(p,s) fitted to data |
// | numbers, one with an exponent   | double precision         | double precision            |
// | true / false (any case)         | boolean                  | boolean                     |
// | YYYY-MM-DD                      | date                     | date                        |
// | dates and ISO timestamps        | timestamp                | timestamp                   |
// | ISO timestamps with an offset   | timestamp with time zone | timestamptz                 |
// | anything else, or only NULLs    | text                     | varchar(longest in bytes)   |
//
// An integer with a leading zero (`007`, a zip code) stays text: a number would lose the zero.
// Whole numbers are `integer` as in dbt, whose seeds infer agate's Integer type for them
// (dbt-core#9004, seen from the adapters' side in https://github.com/dbt-labs/dbt-spark/issues/935);
// where dbt's load would then fail on a value beyond 32 bits, pgshift widens to bigint.

import type { SeedNode } from '../../manifest/manifest.js';
import { CompileError } from '../../errors.js';
import type { Dialect } from '../../warehouse/warehouse.js';
import type { CsvRecord } from '../../util/seed-csv.js';

export interface SeedColumn {
  /** Name in the warehouse. */
  readonly name: string;
  readonly type: string;
}

type ValueKind = 'integer' | 'decimal' | 'float' | 'boolean' | 'date' | 'timestamp' | 'timestamptz' | 'text';

// Redshift's widest VARCHAR, and what its TEXT means, for a column with no values to measure.
const REDSHIFT_MAX_VARCHAR = 65535;
const REDSHIFT_EMPTY_VARCHAR = 256;
const REDSHIFT_MAX_PRECISION = 38;
const INT32_MIN = -(2n ** 31n);
const INT32_MAX = 2n ** 31n - 1n;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

const INTEGER = /^[+-]?(?:0|[1-9]\d*)$/;
const DECIMAL = /^[+-]?(?:(?:0|[1-9]\d*)\.\d*|\.\d+)$/;
const FLOAT = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)[eE][+-]?\d+$/;
const BOOLEAN = /^(?:true|false)$/i;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,6})?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/;

/** The seed's columns in file order; `rows` are the data records (header excluded). */
export function seedColumns(node: SeedNode, rows: readonly CsvRecord[], dialect: Dialect): SeedColumn[] {
  const seen = new Map<string, string>();
  return node.column_names.map((header, index) => {
    // quote_columns: false (the default) means dbt writes the names unquoted, so the warehouse
    // folds them to lower case; pgshift quotes every name, so it folds them itself (ASCII only,
    // as PostgreSQL does) to give the same columns.
    const name = node.config.quote_columns ? header : header.replace(/[A-Z]+/g, (upper) => upper.toLowerCase());
    const clash = seen.get(name);
    if (clash !== undefined) {
      throw new CompileError(
        `${node.original_file_path}: columns '${clash}' and '${header}' both become column "${name}" (set quote_columns: true to keep their case)`,
        { file: node.original_file_path, seed: node.unique_id },
      );
    }
    seen.set(name, header);
    const declared = node.config.column_types[header];
    const type =
      declared ??
      inferType(
        rows.map((row) => ({ value: row.fields[index] ?? null, line: row.line })),
        dialect,
        (message) =>
          new CompileError(`${node.original_file_path}: column '${header}': ${message}; set its type in column_types`, {
            file: node.original_file_path,
            seed: node.unique_id,
          }),
      );
    return { name, type };
  });
}

export function inferType(
  values: ReadonlyArray<{ value: string | null; line: number }>,
  dialect: Dialect,
  fail: (message: string) => Error = (message) => new Error(message),
): string {
  const present = values.filter((entry): entry is { value: string; line: number } => entry.value !== null);
  const kinds = new Set(present.map((entry) => valueKind(entry.value)));
  const only = (...allowed: ValueKind[]) => kinds.size > 0 && [...kinds].every((kind) => allowed.includes(kind));
  if (only('integer'))
    return integerType(
      present.map((entry) => entry.value),
      dialect,
    );
  if (only('integer', 'decimal'))
    return dialect === 'postgres' ? 'numeric' : (redshiftNumeric(present.map((entry) => entry.value)) ?? textType(present, dialect, fail));
  if (only('integer', 'decimal', 'float')) return 'double precision';
  if (only('boolean')) return 'boolean';
  if (only('date')) return 'date';
  if (only('date', 'timestamp')) return 'timestamp';
  if (only('timestamptz')) return dialect === 'postgres' ? 'timestamp with time zone' : 'timestamptz';
  return textType(present, dialect, fail);
}

function valueKind(value: string): ValueKind {
  if (INTEGER.test(value)) return 'integer';
  if (DECIMAL.test(value)) return 'decimal';
  if (FLOAT.test(value)) return 'float';
  if (BOOLEAN.test(value)) return 'boolean';
  const date = DATE.exec(value);
  if (date) return validDate(date[1]!, date[2]!, date[3]!) ? 'date' : 'text';
  const timestamp = TIMESTAMP.exec(value);
  if (timestamp) {
    const [, year, month, day, hour, minute, second, offset] = timestamp;
    const validTime = Number(hour) < 24 && Number(minute) < 60 && Number(second ?? 0) < 60;
    if (!validDate(year!, month!, day!) || !validTime) return 'text';
    return offset === undefined ? 'timestamp' : 'timestamptz';
  }
  return 'text';
}

function validDate(year: string, month: string, day: string): boolean {
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  return date.getUTCMonth() === Number(month) - 1 && date.getUTCDate() === Number(day);
}

function integerType(values: readonly string[], dialect: Dialect): string {
  const numbers = values.map((value) => BigInt(value));
  const within = (min: bigint, max: bigint) => numbers.every((number) => number >= min && number <= max);
  if (within(INT32_MIN, INT32_MAX)) return 'integer';
  if (within(INT64_MIN, INT64_MAX)) return 'bigint';
  return dialect === 'postgres' ? 'numeric' : (redshiftNumeric(values) ?? 'double precision');
}

/** numeric(p,s) wide enough for every value, or undefined beyond Redshift's 38 digits. */
function redshiftNumeric(values: readonly string[]): string | undefined {
  let integerDigits = 1;
  let scale = 0;
  for (const value of values) {
    const [whole = '', fraction = ''] = value.replace(/^[+-]/, '').split('.');
    integerDigits = Math.max(integerDigits, whole.replace(/^0+/, '').length);
    scale = Math.max(scale, fraction.length);
  }
  const precision = integerDigits + scale;
  return precision <= REDSHIFT_MAX_PRECISION ? `numeric(${precision},${scale})` : undefined;
}

function textType(values: ReadonlyArray<{ value: string; line: number }>, dialect: Dialect, fail: (message: string) => Error): string {
  if (dialect === 'postgres') return 'text';
  // Redshift VARCHAR lengths count bytes, not characters. The table is rebuilt on every load, so
  // the longest value is all the width it needs.
  let longest = 0;
  for (const entry of values) {
    const bytes = Buffer.byteLength(entry.value, 'utf8');
    if (bytes > REDSHIFT_MAX_VARCHAR)
      throw fail(`the value on line ${entry.line} is ${bytes} bytes, more than a Redshift VARCHAR holds (${REDSHIFT_MAX_VARCHAR})`);
    longest = Math.max(longest, bytes);
  }
  return `varchar(${values.length === 0 ? REDSHIFT_EMPTY_VARCHAR : Math.max(longest, 1)})`;
}
