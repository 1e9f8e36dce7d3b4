// A source node's work: extract one table for the interval, then load that batch, so each
// table reaches the warehouse as soon as its own extract is done.

import type { S3Client } from '@aws-sdk/client-s3';
import type pg from 'pg';
import type { Project, SourceTable } from '../config/project.js';
import type { ExtractProgress } from '../extract/extract-progress.js';
import { extractTableToS3, type ExtractResult } from '../extract/extract-table.js';
import type { Interval } from '../batch/interval.js';
import { loadTableBatch, type LoadResult } from '../load/load-batch.js';
import { logger } from '../log/logger.js';
import type { Warehouse } from '../warehouse/warehouse.js';

export interface SyncOptions {
  readonly project: Project;
  readonly interval: Interval;
  readonly sourcePoolFor: (table: SourceTable) => pg.Pool;
  readonly s3: S3Client;
  readonly warehouse: Warehouse;
  /** Live rows/MB per table while it streams (shared by the tables of one run). */
  readonly progress?: ExtractProgress;
  /** The warehouse holds nothing of the table yet: its extract reads every row before the interval's end. */
  readonly fromBeginning?: boolean;
  /** Table ids (or `all`) whose detected deletes this run applies beyond max_delete_ratio. */
  readonly acceptDeletes?: ReadonlySet<string>;
  readonly signal?: AbortSignal;
}

export interface SyncResult {
  readonly extract: ExtractResult;
  readonly load: LoadResult;
}

export async function syncTable(table: SourceTable, options: SyncOptions): Promise<SyncResult> {
  let extract: ExtractResult;
  try {
    extract = await extractTableToS3(table, options.interval, {
      source: options.sourcePoolFor(table),
      s3: options.s3,
      staging: options.project.staging,
      signal: options.signal,
      onStreaming: (counters) => options.progress?.track(counters),
      valueLimits: options.warehouse.dialect === 'redshift' ? 'redshift' : undefined,
      fromBeginning: options.fromBeginning,
    });
  } finally {
    options.progress?.done(table.id);
  }
  logger.info(`extracted ${table.id}`, { rows: extract.rows, gz_mb: +(extract.bytesOut / 1e6).toFixed(2), seconds: +extract.seconds.toFixed(2) });
  const load = await loadTableBatch(table, options.interval, {
    warehouse: options.warehouse,
    s3: options.s3,
    staging: options.project.staging,
    rawSchema: options.project.rawSchema,
    acceptDeletes: options.acceptDeletes,
    signal: options.signal,
  });
  logger.info(`loaded ${load.relation}`, {
    table: table.id,
    batch: load.batchId,
    rows: load.rows,
    tombstones: load.reconciliation.tombstones,
    seconds: +load.seconds.toFixed(2),
  });
  return { extract, load };
}
