// Loads one extracted batch into <raw_schema>.<table>: refuses a batch without a manifest,
// creates or evolves the raw table from batch.json, then deletes the batch's earlier rows and
// copies the new ones in one transaction, verifying the row count, so a rerun replaces.

import { GetObjectCommand, NoSuchKey, type S3Client } from '@aws-sdk/client-s3';
import type { SourceTable, StagingSettings } from '../config/project.js';
import { errorMessage, LoadError, PgshiftError } from '../errors.js';
import type { z } from 'zod';
import { attemptOfManifest, batchLocation, s3Url } from '../batch/batch-layout.js';
import { batchDocumentSchema, redshiftManifestSchema, type BatchDocument, type RedshiftManifest } from '../batch/batch-manifest.js';
import { batchIdFor, type Interval } from '../batch/interval.js';
import { parseJsonDocument } from '../config/json-document.js';
import { logger } from '../log/logger.js';
import { quoteIdent } from '../sql/quote-ident.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import { META_SCHEMA, metaTableStatements, recordBatchStatements, upgradeMetaTable } from './batch-records.js';
import { createRawTableSql, driftStatements, rawColumnsFor } from './raw-table-ddl.js';
import { detectDeletes, warnOfKeptTombstones } from './delete-detection.js';
import { DELETED_AT_COLUMN } from '../batch/deleted-at-column.js';
import { describeCounts, reconcile, type Reconciliation } from './reconciliation.js';

export interface LoadContext {
  readonly warehouse: Warehouse;
  readonly s3: S3Client;
  readonly staging: StagingSettings;
  readonly rawSchema: string;
  /** Table ids (or `all`) whose detected deletes this run applies beyond max_delete_ratio. */
  readonly acceptDeletes?: ReadonlySet<string>;
  readonly signal?: AbortSignal;
}

export interface LoadResult {
  readonly table: string;
  readonly batchId: string;
  readonly relation: string;
  readonly rows: number;
  readonly seconds: number;
  readonly ddl: readonly string[];
  /** The batch's counts, source to raw: what reconciliation recorded. */
  readonly reconciliation: Reconciliation;
}

// Schemas and the batch table are created once per warehouse connection; concurrent loads
// share the one promise, since concurrent CREATE … IF NOT EXISTS can still collide.
const preparedWarehouses = new WeakMap<Warehouse, Map<string, Promise<void>>>();

function prepareWarehouse(warehouse: Warehouse, rawSchema: string): Promise<void> {
  const bySchema = preparedWarehouses.get(warehouse) ?? new Map<string, Promise<void>>();
  preparedWarehouses.set(warehouse, bySchema);
  let prepared = bySchema.get(rawSchema);
  if (!prepared) {
    prepared = (async () => {
      for (const sql of metaTableStatements(warehouse.dialect)) await warehouse.execute(sql);
      await upgradeMetaTable(warehouse);
      await warehouse.execute(`create schema if not exists ${quoteIdent(rawSchema)}`);
    })();
    prepared.catch(() => bySchema.delete(rawSchema));
    bySchema.set(rawSchema, prepared);
  }
  return prepared;
}

export async function loadTableBatch(table: SourceTable, interval: Interval, context: LoadContext): Promise<LoadResult> {
  const startedAt = new Date();
  const batchId = batchIdFor(interval);
  const location = batchLocation(context.staging, table.source, table.name, batchId);
  const manifestUrl = s3Url(location.bucket, location.manifestKey);
  const { warehouse } = context;
  let batch: BatchDocument | undefined;
  let reconciliation: Reconciliation | undefined;
  try {
    const manifest: RedshiftManifest = await readJson(context.s3, location.bucket, location.manifestKey, redshiftManifestSchema, table.id).catch(
      (error: unknown) => {
        if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey') {
          throw new LoadError(
            `${table.id}: batch ${batchId} has no manifest (${manifestUrl}), so it is incomplete; run pgshift extract for this interval first`,
            { table: table.id, batch: batchId, key: location.manifestKey },
          );
        }
        throw error;
      },
    );
    // The manifest is the batch's one switch: its batch.json is the one in the folder all its
    // entries share (an attempt folder, or the batch folder itself for the older layout).
    const attempt = attemptOfManifest(
      location,
      manifest.entries.map((entry) => entry.url),
    );
    if (!attempt) {
      throw new LoadError(
        `${table.id}: ${manifestUrl} does not list parts of one attempt folder under s3://${location.bucket}/${location.prefix}; re-extract the interval`,
        { table: table.id, batch: batchId, key: location.manifestKey },
      );
    }
    batch = await readJson(context.s3, location.bucket, attempt.batchKey, batchDocumentSchema, table.id);
    if (manifest.entries.length !== batch.parts.length) {
      throw new LoadError(
        `${table.id}: ${manifestUrl} lists ${manifest.entries.length} parts but batch.json lists ${batch.parts.length}; re-extract the interval`,
        { table: table.id, batch: batchId },
      );
    }

    await prepareWarehouse(warehouse, context.rawSchema);

    const plan = rawColumnsFor(batch, warehouse.dialect);
    for (const warning of plan.warnings) logger.warn(warning, { table: table.id });
    let existing = await warehouse.describeTable(context.rawSchema, table.name);
    const tableColumns = [...plan.columns, ...plan.tableOnly];
    let ddl = existing
      ? driftStatements(context.rawSchema, table.name, table.id, tableColumns, existing)
      : [createRawTableSql(context.rawSchema, table.name, tableColumns, warehouse.dialect, batch.cursor?.column)];
    if (existing && warehouse.describeColumnStorage && ddl.some((sql) => / alter column .* type /.test(sql))) {
      // A widening depends on the column's encoding (Redshift); read it only then.
      const storage = await warehouse.describeColumnStorage(context.rawSchema, table.name);
      existing = existing.map((column) => ({ ...column, storage: storage.get(column.name) }));
      ddl = driftStatements(context.rawSchema, table.name, table.id, tableColumns, existing);
    }
    // DDL runs before the load transaction: Redshift refuses ALTER COLUMN inside one.
    for (const sql of ddl) {
      if (existing) logger.info(`schema drift on ${table.id}: ${sql}`, { table: table.id });
      await warehouse.execute(sql, [], { signal: context.signal });
    }

    // After the DDL, so raw has its deleted-at column; before the load, so a refused mass
    // delete leaves the table as it was.
    // The cheap check first: a batch that does not reconcile builds no scratch tables.
    reconciliation = reconcile(table.id, batch, undefined);
    const deletes = await detectDeletes(table, batch, plan.columns, location.bucket, context);
    reconciliation = reconcile(table.id, batch, deletes);
    if (!batch.keys && existing?.some((column) => column.name === DELETED_AT_COLUMN))
      await warnOfKeptTombstones(table, context.rawSchema, warehouse, context.signal);
    const { rows } = await warehouse.loadBatch(
      {
        schema: context.rawSchema,
        table: table.name,
        columns: plan.columns.map((column) => column.name),
        batchIdColumn: batch.metadata_columns.batch_id,
        batchId,
        replace: batch.mode === 'full' ? 'table' : 'batch',
        expectedRows: batch.rows,
        bucket: location.bucket,
        manifestKey: location.manifestKey,
        parts: batch.parts,
        afterLoad: [...(deletes?.afterLoad ?? []), ...recordBatchStatements(batch, manifestUrl, startedAt, 'loaded', reconciliation)],
        sharedTables: [[META_SCHEMA, 'batches']],
      },
      { signal: context.signal },
    );
    return {
      table: table.id,
      batchId,
      relation: `${context.rawSchema}.${table.name}`,
      rows,
      seconds: (Date.now() - startedAt.getTime()) / 1000,
      ddl,
      reconciliation: { ...reconciliation, loadedRows: rows },
    };
  } catch (error) {
    // The failed attempt is recorded too (best effort: the warehouse itself may be what failed).
    if (batch && !context.signal?.aborted) await warehouse.transaction(recordBatchStatements(batch, manifestUrl, startedAt, 'failed')).catch(() => {});
    // A load that failed after reconciling names every count, so a mismatch reads as one line.
    if (error instanceof LoadError && reconciliation && !error.message.includes('reconciliation:'))
      error.message += ` (reconciliation: ${describeCounts(reconciliation)})`;
    if (error instanceof PgshiftError) throw error;
    throw new LoadError(`${table.id}: load of batch ${batchId} failed: ${errorMessage(error)}`, { table: table.id, batch: batchId }, { cause: error });
  }
}

async function readJson<S extends z.ZodType>(s3: S3Client, bucket: string, key: string, schema: S, tableId: string): Promise<z.output<S>> {
  const object = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  const parsed = parseJsonDocument(await object.Body!.transformToString('utf8'), schema);
  if (!parsed.ok)
    throw new LoadError(`${tableId}: ${s3Url(bucket, key)}: ${parsed.problem}; re-extract the interval to write the batch again`, { table: tableId, key });
  return parsed.value;
}
