// The raw table a batch loads into: its columns come from batch.json's source schema, mapped
// per warehouse, plus the two metadata columns. On later loads the same mapping drives drift
// handling: new columns are added, dropped ones stay (and load NULL), varchars widen, and an
// incompatible change stops that table with a message saying how to resolve it.

import type { BatchDocument } from '../batch/batch-manifest.js';
import { LoadError } from '../errors.js';
import { varcharWidthFor } from '../batch/redshift-values.js';
import { quoteIdent, quoteQualified } from '../sql/quote-ident.js';
import { reencodeBeforeWidening } from '../warehouse/redshift-alter-column.js';
import type { Dialect, WarehouseColumn } from '../warehouse/warehouse.js';
import { mapColumnType } from './type-mapping.js';

export interface RawColumn {
  readonly name: string;
  readonly type: string;
}

export interface RawTablePlan {
  /** Columns of the batch's files, in file order. */
  readonly columns: readonly RawColumn[];
  /** Columns of the raw table that no file holds (`_pgshift_deleted_at`, set on tombstones only). */
  readonly tableOnly: readonly RawColumn[];
  readonly warnings: readonly string[];
}

export function rawColumnsFor(batch: BatchDocument, dialect: Dialect): RawTablePlan {
  const warnings: string[] = [];
  const columns = batch.columns.map((column) => {
    const mapped = mapColumnType(column, dialect);
    const bytes = batch.text_bytes?.[column.name];
    // Right-sized text: the longest value the extract measured, rounded up to a fixed width;
    // a later batch that needs more widens the column (driftStatements).
    if (dialect === 'redshift' && bytes !== undefined && mapped.type === 'character varying(65535)') {
      return { name: column.name, type: `character varying(${varcharWidthFor(bytes)})` };
    }
    if (mapped.warning) warnings.push(`${batch.source}.${batch.table}.${mapped.warning}`);
    return { name: column.name, type: mapped.type };
  });
  columns.push({ name: batch.metadata_columns.batch_id, type: 'character varying(64)' });
  columns.push({ name: batch.metadata_columns.extracted_at, type: 'timestamp with time zone' });
  const deletedAt = batch.metadata_columns.deleted_at;
  return { columns, tableOnly: deletedAt ? [{ name: deletedAt, type: 'timestamp with time zone' }] : [], warnings };
}

export function createRawTableSql(schema: string, table: string, columns: readonly RawColumn[], dialect: Dialect, sortKey?: string): string {
  const body = columns.map((column) => `  ${quoteIdent(column.name)} ${column.type}`).join(',\n');
  // Redshift: rows arrive in cursor order, so a sort key on the cursor keeps daily range scans cheap.
  const physical = dialect === 'redshift' ? `\ndiststyle auto${sortKey ? `\ncompound sortkey (${quoteIdent(sortKey)})` : ''}` : '';
  return `create table if not exists ${quoteQualified(schema, table)} (\n${body}\n)${physical}`;
}

/** DDL that brings an existing raw table in line with a batch, or a LoadError explaining why not. */
export function driftStatements(schema: string, table: string, tableId: string, wanted: readonly RawColumn[], existing: readonly WarehouseColumn[]): string[] {
  const have = new Map(existing.map((column) => [column.name, column.type]));
  const encodings = new Map(existing.map((column) => [column.name, column.storage?.encoding]));
  const statements: string[] = [];
  const relation = quoteQualified(schema, table);
  for (const column of wanted) {
    const current = have.get(column.name);
    if (current === undefined) {
      statements.push(`alter table ${relation} add column ${quoteIdent(column.name)} ${column.type}`);
      continue;
    }
    if (sameType(current, column.type)) continue;
    const widened = widerVarchar(current, column.type);
    if (widened) {
      statements.push(...reencodeBeforeWidening(relation, column.name, encodings.get(column.name)));
      statements.push(`alter table ${relation} alter column ${quoteIdent(column.name)} type ${widened}`);
      continue;
    }
    if (narrowerVarchar(current, column.type)) continue;
    throw new LoadError(
      `${tableId}: column ${column.name} changed type in the source: ${schema}.${table} holds ${current}, the batch now needs ${column.type}. ` +
        `Keep the history with 'alter table ${relation} rename column ${quoteIdent(column.name)} to ${quoteIdent(`${column.name}_old`)}' ` +
        `(or drop the column) and load again; the column is recreated with the new type`,
      { table: tableId, column: column.name },
    );
  }
  return statements;
}

function sameType(a: string, b: string): boolean {
  return normalise(a) === normalise(b);
}

function normalise(type: string): string {
  return type
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .replace(/^character varying$/, 'text');
}

function varcharLength(type: string): number | undefined {
  const match = /^character varying\((\d+)\)$/.exec(normalise(type));
  if (match) return Number(match[1]);
  return normalise(type) === 'text' ? Number.POSITIVE_INFINITY : undefined;
}

function widerVarchar(current: string, wanted: string): string | undefined {
  const have = varcharLength(current);
  const need = varcharLength(wanted);
  if (have === undefined || need === undefined || need <= have) return undefined;
  return wanted;
}

function narrowerVarchar(current: string, wanted: string): boolean {
  const have = varcharLength(current);
  const need = varcharLength(wanted);
  return have !== undefined && need !== undefined && need <= have;
}
