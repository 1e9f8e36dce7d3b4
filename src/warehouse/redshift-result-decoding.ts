// Turns GetStatementResult's typed fields into plain row objects keyed by column name, with the
// JavaScript types node-postgres would give for the same columns.
//
// | Data API field | column type (ColumnMetadata.typeName) | row value                           |
// |----------------|---------------------------------------|-------------------------------------|
// | isNull         | any                                   | null                                |
// | longValue      | int8 / bigint                         | string, as node-postgres returns it |
// | longValue      | int2, int4, …                         | number                              |
// | doubleValue    | float4, float8                        | number (NaN, ±Infinity included)    |
// | stringValue    | numeric, varchar, date, timestamp, …  | string (numerics keep every digit)  |
// | booleanValue   | bool                                  | boolean                             |
// | blobValue      | varbyte                               | Buffer                              |
//
// Dates and timestamps stay as the text Redshift prints (node-postgres would build Date objects),
// so no time zone is guessed on the way. A bigint beyond 2^53 arrives in a JSON number and has
// lost precision before it reaches this code; select it `::varchar` when every digit matters.

import type { ColumnMetadata, Field } from '@aws-sdk/client-redshift-data';
import { WarehouseError } from '../errors.js';

const BIGINT_TYPES = new Set(['int8', 'bigint']);

export function decodeRecords(columns: readonly ColumnMetadata[], records: readonly Field[][]): Record<string, unknown>[] {
  // Keyed by label, as JDBC's getColumnLabel: for `select count(*) as n` the label is the alias
  // `n`, while name may be the underlying column's or function's name. The reference gives both
  // ("The label for the column", "The name of the column"), so label wins and name is the fallback.
  // https://docs.aws.amazon.com/redshift-data/latest/APIReference/API_ColumnMetadata.html
  const names = columns.map((column, index) => column.label ?? column.name ?? `?column?${index}`);
  const types = columns.map((column) => column.typeName?.toLowerCase());
  return records.map((record) => {
    const row: Record<string, unknown> = {};
    record.forEach((field, index) => {
      row[names[index] ?? `?column?${index}`] = decodeField(field, types[index]);
    });
    return row;
  });
}

/** The same values as decodeRecords, as arrays in column order with the columns' labels. */
export function decodeTable(columns: readonly ColumnMetadata[], records: readonly Field[][]): { columns: string[]; rows: unknown[][] } {
  const types = columns.map((column) => column.typeName?.toLowerCase());
  return {
    columns: columns.map((column, index) => column.label ?? column.name ?? `?column?${index}`),
    rows: records.map((record) => record.map((field, index) => decodeField(field, types[index]))),
  };
}

export function decodeField(field: Field, typeName: string | undefined): unknown {
  if (field.isNull === true) return null;
  if (field.longValue !== undefined) return typeName !== undefined && BIGINT_TYPES.has(typeName) ? String(field.longValue) : field.longValue;
  // The SDK turns the protocol's "NaN"/"Infinity" strings into numbers; a raw string is converted too.
  if (field.doubleValue !== undefined) return Number(field.doubleValue as unknown);
  if (field.stringValue !== undefined) return field.stringValue;
  if (field.booleanValue !== undefined) return field.booleanValue;
  if (field.blobValue !== undefined) return Buffer.from(field.blobValue.buffer, field.blobValue.byteOffset, field.blobValue.byteLength);
  throw new WarehouseError(`the Data API returned a field this version cannot decode: ${JSON.stringify(field)}`, { column_type: typeName });
}
