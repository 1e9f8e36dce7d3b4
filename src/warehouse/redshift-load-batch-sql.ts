// The statements one batch load sends to Redshift as a single BatchExecuteStatement (one
// transaction): lock, replace the batch's rows or the whole table, COPY, check the row count.
//
// The count check is a plain SELECT that divides by zero when the count is wrong, so no stored
// procedure is needed: creating one per process would need its owner or a superuser ("You must
// be a superuser or the owner to replace a procedure",
// https://docs.aws.amazon.com/redshift/latest/dg/r_CREATE_PROCEDURE.html) and EXECUTE on it for
// every other loader, and building its dynamic SQL with Redshift's QUOTE_IDENT leaves reserved
// words such as RAW unquoted (https://docs.aws.amazon.com/redshift/latest/dg/r_QUOTE_IDENT.html,
// https://docs.aws.amazon.com/redshift/latest/dg/r_pg_keywords.html). Every name here goes
// through quoteIdent().

import { quoteIdent, quoteQualified } from '../sql/quote-ident.js';
import type { BatchLoadRequest, ScratchTableRequest } from './warehouse.js';
import { copyFromManifestSql, type CopySettings, redshiftLiteral } from './redshift-copy-sql.js';

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
 * First statement of every load transaction: the shared pgshift_meta.batches table and the table
 * being written, locked before anything is read. Concurrent loads then queue instead of each
 * taking a snapshot, reading and writing pgshift_meta.batches and having Redshift abort one with
 * ERROR 1023; locking the tables first is the remedy Redshift documents.
 * https://docs.aws.amazon.com/redshift/latest/dg/c_serial_isolation-serializable-isolation-troubleshooting.html
 * https://docs.aws.amazon.com/redshift/latest/dg/r_LOCK.html
 */
function lockStep(request: BatchLoadRequest, relation: string): LoadStep {
  const shared = (request.sharedTables ?? []).map(([schema, table]) => quoteQualified(schema, table));
  return { label: shared.length > 0 ? 'lock the batch records and the table' : 'lock the table', sql: `lock ${[...shared, relation].join(', ')}` };
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
    lockStep(request, relation),
    { label: "delete the batch's earlier rows", sql: `delete from ${relation} where ${quoteIdent(request.batchIdColumn)} = ${batchId}` },
    { label: 'copy from S3', sql: copyFromManifestSql(relation, request.columns, manifestUrl, settings) },
    countCheck(request, relation),
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
    lockStep(request, relation),
    // Left behind only if a load died outside its transaction; never holds committed data.
    { label: 'drop a leftover replacement table', sql: `drop table if exists ${newRelation}` },
    { label: 'create the replacement table', sql: `create table ${newRelation} (like ${relation})` },
    { label: 'copy from S3', sql: copyFromManifestSql(newRelation, request.columns, manifestUrl, settings) },
    countCheck(request, newRelation),
    { label: 'rename the old table', sql: `alter table ${relation} rename to ${quoteIdent(oldName)}` },
    { label: 'rename the new table', sql: `alter table ${newRelation} rename to ${quoteIdent(request.table)}` },
    {
      label: 'drop the old table',
      sql: `drop table ${oldRelation}`,
      hint: `a view bound to ${request.schema}.${request.table} keeps the old table in use; recreate it as a late-binding view (create view … with no schema binding)`,
    },
  ];
}

/**
 * Fails the transaction unless the table holds exactly batch.json's row count for this batch:
 * `1 / 0` is an error, and a failed statement rolls back the whole BatchExecuteStatement
 * (https://docs.aws.amazon.com/redshift-data/latest/APIReference/API_BatchExecuteStatement.html).
 * Redshift's operator pages do not spell out integer division by zero; "ERROR: Divide by zero"
 * is what it raises, and a wrong count fails either way (an error, not a silent pass).
 */
function countCheck(request: BatchLoadRequest, relation: string): LoadStep {
  const batchId = redshiftLiteral(request.batchId, 'batch id');
  return {
    label: 'row-count check',
    sql: `select 1 / (case when count(*) = ${request.expectedRows} then 1 else 0 end) as pgshift_row_count_check from ${relation} where ${quoteIdent(request.batchIdColumn)} = ${batchId}`,
    hint: `${request.schema}.${request.table} would not hold exactly the ${request.expectedRows} rows batch.json counts for batch ${request.batchId}; re-extract the interval`,
  };
}

/**
 * A scratch table filled from gzipped CSV parts (the key scan of a batch), in one transaction:
 * created anew, copied through its own manifest, and its row count checked like a batch's.
 */
export function scratchTableSteps(request: ScratchTableRequest, settings: CopySettings): LoadStep[] {
  if (!Number.isSafeInteger(request.expectedRows) || request.expectedRows < 0) {
    throw new Error(`expected row count ${request.expectedRows} is not a whole number`);
  }
  const relation = quoteQualified(request.schema, request.table);
  const manifestUrl = `s3://${request.bucket}/${request.manifestKey}`;
  return [
    { label: 'drop the scratch table', sql: `drop table if exists ${relation}` },
    {
      label: 'create the scratch table',
      sql: `create table ${relation} (${request.columns.map((column) => `${quoteIdent(column.name)} ${column.type}`).join(', ')})`,
    },
    {
      label: 'copy from S3',
      sql: copyFromManifestSql(
        relation,
        request.columns.map((column) => column.name),
        manifestUrl,
        settings,
      ),
    },
    {
      label: 'row-count check',
      sql: `select 1 / (case when count(*) = ${request.expectedRows} then 1 else 0 end) as pgshift_row_count_check from ${relation}`,
      hint: `${manifestUrl} does not hold exactly the ${request.expectedRows} rows batch.json counts; re-extract the interval`,
    },
  ];
}
