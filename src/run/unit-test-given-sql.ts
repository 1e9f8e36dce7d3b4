// The query standing for one given input of a unit test: its rows as `select cast($n as type)`
// branches, every column of the input relation present (null where a row leaves it out) and
// typed as the relation's column when the relation exists (dbt reads them with
// get_columns_in_relation), else typed from the values. Values travel as parameters.
// https://docs.getdbt.com/docs/build/unit-tests

import type { UnitTestGiven } from '../manifest/index.js';
import { quoteIdent } from '../sql/quote-ident.js';
import type { Dialect, WarehouseColumn } from '../warehouse/warehouse.js';

export interface GivenSql {
  readonly sql: string;
  readonly params: readonly unknown[];
}

/** `columns`: the input relation's columns, or undefined when it does not exist (types inferred). */
export function givenInputSql(
  given: UnitTestGiven,
  columns: readonly WarehouseColumn[] | undefined,
  dialect: Dialect,
  firstParam: number,
  where: string,
): GivenSql {
  if (given.format === 'sql') return { sql: given.sql!, params: [] };
  const rows = given.rows!;
  const written = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const known = columns ? new Map(columns.map((column) => [column.name.toLowerCase(), column])) : undefined;
  if (known) {
    const unknown = written.find((name) => !known.has(name.toLowerCase()));
    if (unknown !== undefined) {
      const names = columns!.map((column) => column.name).join(', ');
      throw new Error(`${where}: ${given.input} has no column '${unknown}' (its columns: ${names})`);
    }
  }
  const typed = columns
    ? columns.map((column) => ({ name: column.name, key: written.find((name) => name.toLowerCase() === column.name.toLowerCase()), type: column.type }))
    : written.map((name) => ({
        name,
        key: name,
        type: inferType(
          rows.map((row) => row[name]),
          given.format === 'csv',
          dialect,
        ),
      }));
  if (typed.length === 0) throw new Error(`${where}: ${given.input} names no column; give at least one in its rows`);
  const params: unknown[] = [];
  const cell = (type: string, value: unknown): string => {
    if (value === null || value === undefined) return `cast(null as ${type})`;
    params.push(parameterText(value));
    return `cast($${firstParam + params.length - 1} as ${type})`;
  };
  const select = (row: Readonly<Record<string, unknown>> | undefined): string =>
    `select ${typed.map((column) => `${cell(column.type, row && column.key !== undefined ? row[column.key] : null)} as ${quoteIdent(column.name)}`).join(', ')}`;
  // `rows: []` is an empty input: the columns, no row.
  const sql = rows.length === 0 ? `${select(undefined)} where 1 = 0` : rows.map(select).join('\nunion all\n');
  return { sql, params };
}

/** A value as the text a cast reads. */
function parameterText(value: unknown): string {
  if (value instanceof Date) {
    const iso = value.toISOString();
    return iso.endsWith('T00:00:00.000Z') ? iso.slice(0, 10) : iso;
  }
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

const INTEGER = /^-?\d+$/;
const DECIMAL = /^-?\d*\.\d+$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?Z?$/;

/**
 * The narrowest type that holds every value; csv cells are text, so their numbers and
 * booleans are read from the text. Redshift's VARCHAR holds at most 65535 bytes and a NUMERIC
 * without precision has scale 0, so decimals carry their scale:
 * https://docs.aws.amazon.com/redshift/latest/dg/r_Character_types.html
 * https://docs.aws.amazon.com/redshift/latest/dg/r_Numeric_types201.html
 */
export function inferType(values: readonly unknown[], fromText: boolean, dialect: Dialect): string {
  const present = values.filter((value) => value !== null && value !== undefined);
  const text = dialect === 'redshift' ? 'varchar(65535)' : 'text';
  if (present.length === 0) return text;
  const asText = present.map((value) => (value instanceof Date ? parameterText(value) : typeof value === 'string' ? value : undefined));
  const numbers = present.map((value) => (typeof value === 'number' ? String(value) : fromText && typeof value === 'string' ? value : undefined));
  if (numbers.every((value) => value !== undefined && INTEGER.test(value))) {
    return numbers.every((value) => Math.abs(Number(value)) <= 2147483647) ? 'integer' : 'bigint';
  }
  if (numbers.every((value) => value !== undefined && (INTEGER.test(value) || DECIMAL.test(value)))) {
    const scale = Math.max(...numbers.map((value) => value!.split('.')[1]?.length ?? 0));
    return `numeric(38, ${Math.min(scale, 37)})`;
  }
  if (present.every((value) => typeof value === 'boolean' || (fromText && (value === 'true' || value === 'false')))) return 'boolean';
  if (asText.every((value) => value !== undefined && DATE.test(value))) return 'date';
  if (asText.every((value) => value !== undefined && (TIMESTAMP.test(value) || DATE.test(value)))) return 'timestamp';
  return text;
}
