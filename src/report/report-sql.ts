// SQL text shared by the report queries. It runs unchanged on PostgreSQL and Redshift: quoted
// identifiers, `$n` values, and to_char for dates so both return the same 'YYYY-MM-DD' text
// (node-postgres would otherwise build local-time Date objects, the Data API returns text).

import { quoteIdent, quoteQualified } from '../sql/quote-ident.js';
import { columnNames, sourceColumnName, type ReportTable } from './report-tables.js';

export function relationOf(schema: string, table: ReportTable): string {
  return quoteQualified(schema, table.name);
}

/** The relation's column behind `name`, quoted: for WHERE clauses, which see no aliases. */
export function sourceColumn(table: ReportTable, name: string): string {
  return quoteIdent(sourceColumnName(table, name));
}

/** One column as the report reads it, under the report's name: dates as ISO text, everything else as stored. */
export function selectColumn(table: ReportTable, name: string): string {
  const source = sourceColumn(table, name);
  const alias = quoteIdent(name);
  if (table.columns[name] === 'date') return `to_char(${source}, 'YYYY-MM-DD') as ${alias}`;
  return source === alias ? alias : `${source} as ${alias}`;
}

export function selectList(table: ReportTable, names: readonly string[] = columnNames(table)): string {
  return names.map((name) => selectColumn(table, name)).join(', ');
}

/** `where <date column> <= $n` for dated tables, nothing for the others. */
export function upToDate(table: ReportTable, placeholder: string): string {
  return table.dateColumn ? `where ${sourceColumn(table, table.dateColumn)} <= cast(${placeholder} as date)` : '';
}

export function orderByKey(table: ReportTable): string {
  return `order by ${table.key.map(quoteIdent).join(', ')}`;
}

/**
 * LIMIT and OFFSET take literals: Redshift does not accept bind parameters there. The numbers
 * are the report's own page counters, checked here, never text from outside.
 */
export function pageClause(limit: number, offset: number): string {
  if (!Number.isSafeInteger(limit) || limit < 1 || !Number.isSafeInteger(offset) || offset < 0) {
    throw new Error(`invalid page: limit ${limit}, offset ${offset}`);
  }
  return offset > 0 ? `limit ${limit} offset ${offset}` : `limit ${limit}`;
}

/** Warehouse values as text: bigint and numeric already are; a plain integer column is not. */
export function textValue(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return typeof value === 'string' ? value : String(value);
}

/**
 * Warehouse numbers as JavaScript numbers for charts and KPIs (the CSV keeps every digit).
 * NULL reads as 0: the report tables use it only for a sum over no rows.
 */
export function numberValue(value: unknown): number {
  if (value === null || value === undefined) return 0;
  const number = Number(value);
  if (!Number.isFinite(number)) throw new Error(`expected a number from the warehouse, got ${JSON.stringify(value)}`);
  return number;
}
