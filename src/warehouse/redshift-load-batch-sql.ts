// The statements one batch load sends to Redshift as a single BatchExecuteStatement (one
// transaction): replace the batch's rows or the whole table, COPY, check the row count. Plus the
// stored procedure that check calls, since Redshift has RAISE only inside stored procedures.

import { quoteIdent, quoteQualified } from '../sql/quote-ident.js';
import type { BatchLoadRequest } from './warehouse.js';
import { copyFromManifestSql, type CopySettings, redshiftLiteral } from './redshift-copy-sql.js';

export const LOAD_HELPER_SCHEMA = 'pgshift_meta';
export const NEW_TABLE_SUFFIX = '__pgshift_new';
export const OLD_TABLE_SUFFIX = '__pgshift_old';
// Redshift names are at most 127 bytes; the swap's working names must fit too.
const MAX_NAME_BYTES = 127;

/** One statement of the load, with what it does in words for error messages. */
export interface LoadStep {
  readonly label: string;
  readonly sql: string;
  /** What to do when this step fails for a reason the operator can fix. */
  readonly hint?: string;
}

/**
 * Creates pgshift_meta.assert_loaded_rows, which fails the transaction it runs in when a batch's
 * row count differs from batch.json's. Idempotent; run once before the first load.
 * EXECUTE … INTO, quote_ident and quote_literal:
 * https://docs.aws.amazon.com/redshift/latest/dg/c_PLpgSQL-statements.html
 */
export function assertProcedureStatements(): string[] {
  return [
    `create schema if not exists ${LOAD_HELPER_SCHEMA}`,
    `create or replace procedure ${LOAD_HELPER_SCHEMA}.assert_loaded_rows(schema_name varchar, table_name varchar, batch_column varchar, batch_id varchar, expected bigint)
as $$
declare
  loaded bigint;
begin
  execute 'select count(*) from ' || quote_ident(schema_name) || '.' || quote_ident(table_name)
    || ' where ' || quote_ident(batch_column) || ' = ' || quote_literal(batch_id)
    into loaded;
  if loaded <> expected then
    raise exception 'loaded % rows into %.% for batch %, but batch.json counts %', loaded, schema_name, table_name, batch_id, expected;
  end if;
end;
$$ language plpgsql`,
  ];
}

/** The load's own statements; the request's afterLoad statements follow them in the same batch. */
export function loadBatchSteps(request: BatchLoadRequest, settings: CopySettings): LoadStep[] {
  if (request.columns.length === 0) throw new Error('the batch names no columns');
  if (!Number.isSafeInteger(request.expectedRows) || request.expectedRows < 0) {
    throw new Error(`expected row count ${request.expectedRows} is not a whole number`);
  }
  const manifestUrl = `s3://${request.bucket}/${request.manifestKey}`;
  return request.replace === 'table' ? replaceTableSteps(request, manifestUrl, settings) : replaceBatchSteps(request, manifestUrl, settings);
}

/** Incremental tables: this batch's earlier rows go, the new ones come, in one transaction. */
function replaceBatchSteps(request: BatchLoadRequest, manifestUrl: string, settings: CopySettings): LoadStep[] {
  const relation = quoteQualified(request.schema, request.table);
  const batchId = redshiftLiteral(request.batchId, 'batch id');
  return [
    { label: "delete the batch's earlier rows", sql: `delete from ${relation} where ${quoteIdent(request.batchIdColumn)} = ${batchId}` },
    { label: 'copy from S3', sql: copyFromManifestSql(relation, request.columns, manifestUrl, settings) },
    { label: 'row-count check', sql: assertCall(request, request.table) },
  ];
}

/**
 * Full-mode tables: load a table built LIKE the old one (same columns, NOT NULL, distribution
 * style and sort keys: https://docs.aws.amazon.com/redshift/latest/dg/r_CREATE_TABLE_NEW.html),
 * check it, then swap names and drop the old table. TRUNCATE would be simpler, but in Redshift it
 * commits the open transaction, so readers could see an empty table and a failed load could not
 * roll back (https://docs.aws.amazon.com/redshift/latest/dg/r_TRUNCATE.html).
 *
 * Views across the swap: a late-binding view (CREATE VIEW … WITH NO SCHEMA BINDING) looks its
 * tables up by name when queried, so it reads the new table right after the commit. A regular
 * view stays bound to the renamed old table and Redshift refuses to drop that table, so the whole
 * load fails and rolls back; the step's hint says how to fix it.
 * https://docs.aws.amazon.com/redshift/latest/dg/r_CREATE_VIEW.html
 * Grants made on the table do not carry over to the new one: the run's grant reconciliation
 * restores them.
 */
function replaceTableSteps(request: BatchLoadRequest, manifestUrl: string, settings: CopySettings): LoadStep[] {
  const newName = `${request.table}${NEW_TABLE_SUFFIX}`;
  const oldName = `${request.table}${OLD_TABLE_SUFFIX}`;
  for (const name of [newName, oldName]) {
    if (Buffer.byteLength(name) > MAX_NAME_BYTES) {
      throw new Error(`table name ${request.table} is too long to replace atomically: ${name} exceeds Redshift's ${MAX_NAME_BYTES}-byte limit`);
    }
  }
  const relation = quoteQualified(request.schema, request.table);
  const newRelation = quoteQualified(request.schema, newName);
  const oldRelation = quoteQualified(request.schema, oldName);
  return [
    // Left behind only if a load died outside its transaction; never holds committed data.
    { label: 'drop a leftover replacement table', sql: `drop table if exists ${newRelation}` },
    { label: 'create the replacement table', sql: `create table ${newRelation} (like ${relation})` },
    { label: 'copy from S3', sql: copyFromManifestSql(newRelation, request.columns, manifestUrl, settings) },
    { label: 'row-count check', sql: assertCall(request, newName) },
    { label: 'rename the old table', sql: `alter table ${relation} rename to ${quoteIdent(oldName)}` },
    { label: 'rename the new table', sql: `alter table ${newRelation} rename to ${quoteIdent(request.table)}` },
    {
      label: 'drop the old table',
      sql: `drop table ${oldRelation}`,
      hint: `a view bound to ${request.schema}.${request.table} keeps the old table in use; recreate it as a late-binding view (create view … with no schema binding)`,
    },
  ];
}

function assertCall(request: BatchLoadRequest, table: string): string {
  const args = [
    redshiftLiteral(request.schema, 'schema name'),
    redshiftLiteral(table, 'table name'),
    redshiftLiteral(request.batchIdColumn, 'batch id column'),
    redshiftLiteral(request.batchId, 'batch id'),
    String(request.expectedRows),
  ];
  return `call ${LOAD_HELPER_SCHEMA}.assert_loaded_rows(${args.join(', ')})`;
}
