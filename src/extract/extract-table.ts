// extractTableToS3: one table, one interval, one REPEATABLE READ snapshot, streamed
// COPY → gzip → S3 part files in constant memory, then batch.json and, last, manifest.json.
// On any failure the batch's uploads are aborted, its objects removed, and no manifest exists.

import { DeleteObjectsCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { pipeline } from 'node:stream/promises';
import type { SourceTable, StagingSettings } from '../config/project.js';
import { CancelledError, ConfigError, errorMessage, ExtractError } from '../errors.js';
import { logger } from '../log/logger.js';
import { batchLocation, s3Url, type BatchLocation } from '../batch/batch-layout.js';
import { redshiftManifest, type BatchDocument } from '../batch/batch-manifest.js';
import { BATCH_ID_COLUMN, EXTRACTED_AT_COLUMN, planExtract } from './extract-plan.js';
import { batchIdFor, type Interval } from '../batch/interval.js';
import { discardingPartFiles, s3PartFiles } from './part-files.js';
import { runValueChecks, type ValueCheckOutcome } from './redshift-value-checks.js';
import { RotatingGzipWriter } from './rotating-gzip-writer.js';
import { introspectSourceTable } from './source-introspection.js';
import { connectionLost } from '../util/postgres-sessions.js';

export interface SourceConnector {
  connect(): Promise<pg.PoolClient>;
}

export interface ExtractContext {
  readonly source: SourceConnector;
  readonly s3: S3Client;
  readonly staging: StagingSettings;
  /** Stream and compress but store nothing: measures the source side alone. */
  readonly dryRun?: boolean;
  readonly signal?: AbortSignal;
  /** Called once the COPY is streaming, with live counters for progress display. */
  readonly onStreaming?: (live: LiveCounters) => void;
  /** Keys the hash of columns classified `secret` (PGSHIFT_PII_KEY); a fixed development key otherwise. */
  readonly piiKey?: string;
  /** `redshift`: check values against Redshift's limits before uploading (redshift-value-checks.ts). */
  readonly valueLimits?: 'redshift';
}

export interface LiveCounters {
  readonly table: string;
  rows(): number;
  bytesIn(): number;
  bytesOut(): number;
}

export interface ExtractResult {
  readonly table: string;
  readonly batchId: string;
  readonly location: BatchLocation;
  readonly manifestUrl: string;
  readonly rows: number;
  readonly bytesIn: number;
  readonly bytesOut: number;
  readonly parts: number;
  readonly seconds: number;
  readonly document: BatchDocument;
}

type Phase = 'connect' | 'introspect' | 'check' | 'copy' | 'upload' | 'manifest';

export async function extractTableToS3(table: SourceTable, interval: Interval, context: ExtractContext): Promise<ExtractResult> {
  const startedAt = new Date();
  const batchId = batchIdFor(interval);
  const location = batchLocation(context.staging, table.source, table.name, batchId);
  let phase: Phase = 'connect';
  let client: pg.PoolClient | undefined;
  let clientBroken: Error | undefined;
  let writer: RotatingGzipWriter | undefined;
  const fail = (error: unknown): never => {
    if (error instanceof ConfigError || error instanceof ExtractError || error instanceof CancelledError) throw error;
    const where = phase === 'upload' || phase === 'manifest' ? ` (s3://${location.bucket}/${location.prefix})` : '';
    // A failover or a DBA ending the session must read as that, naming the connection to check.
    const lost = client && connectionLost(client, error) ? `source ${table.source} (${table.connectionEnv}) closed the connection: ` : '';
    throw new ExtractError(
      `${table.id}: extract failed during ${phase}${where}: ${lost}${errorMessage(error)}`,
      { table: table.id, phase, batch: batchId },
      { cause: error },
    );
  };

  try {
    context.signal?.throwIfAborted();
    client = await context.source.connect().catch(fail);
    phase = 'introspect';
    await client.query('begin isolation level repeatable read read only');
    // Fixed output settings make the files independent of the source server's defaults.
    await client.query(
      `set local timezone = 'UTC'; set local datestyle = 'ISO, YMD'; set local intervalstyle = 'iso_8601'; set local bytea_output = 'hex'; set local extra_float_digits = 3`,
    );
    const shape = await introspectSourceTable(client, table.sourceSchema, table.name, table.id);
    const piiKey = context.piiKey ?? (process.env.PGSHIFT_PII_KEY || undefined);
    let plan = planExtract(table, shape, interval, batchId, startedAt, piiKey);
    for (const warning of plan.warnings) logger.warn(warning, { table: table.id });
    const names = Object.keys(plan.settings);
    await client.query(
      `select ${names.map((_, i) => `set_config($${2 * i + 1}, $${2 * i + 2}, true)`).join(', ')}`,
      names.flatMap((name) => [name, plan.settings[name]]),
    );

    let checked: ValueCheckOutcome | undefined;
    if (context.valueLimits === 'redshift') {
      phase = 'check';
      const where = `sources.${table.source}.tables.${table.name}`;
      checked = await runValueChecks(client, table.id, where, plan.columns, plan.hashedColumns, table.primaryKey, plan.fromWhere, table.valuePolicy ?? 'fail');
      for (const finding of checked.findings)
        logger.warn(`${table.id}: ${finding.column}: ${finding.rows} row(s) hold ${finding.problem}; ${finding.action} (value_policy ${table.valuePolicy})`, {
          table: table.id,
        });
      if (checked.overrides.size > 0) plan = planExtract(table, shape, interval, batchId, startedAt, piiKey, checked.overrides);
      phase = 'introspect';
    }

    if (!context.dryRun) {
      phase = 'upload';
      await removeBatchObjects(context.s3, location);
    }

    phase = 'copy';
    const copyStream = client.query(copyTo(plan.copySql));
    const target = context.dryRun
      ? discardingPartFiles()
      : s3PartFiles({
          client: context.s3,
          bucket: location.bucket,
          keyFor: location.partKey,
          uploadPartSizeBytes: context.staging.uploadPartSizeBytes,
          uploadQueueSize: context.staging.uploadQueueSize,
        });
    const sink = new RotatingGzipWriter(target, { gzipLevel: context.staging.gzipLevel, partSizeBytes: context.staging.partSizeBytes });
    writer = sink;
    context.onStreaming?.({ table: table.id, rows: () => sink.scanner.rows, bytesIn: () => sink.bytesIn, bytesOut: () => sink.bytesOut });
    const onAbort = () => copyStream.destroy(new CancelledError(`${table.id}: extract cancelled`, { table: table.id }));
    context.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      await pipeline(copyStream, sink);
    } catch (error) {
      clientBroken = error as Error;
      if (sink.storageFailure !== undefined) phase = 'upload';
      throw error;
    } finally {
      context.signal?.removeEventListener('abort', onAbort);
    }
    await client.query('commit');

    const rows = copyStream.rowCount;
    if (rows !== sink.scanner.rows) {
      throw new ExtractError(`${table.id}: COPY reported ${rows} rows but ${sink.scanner.rows} CSV rows were written; the batch is not trustworthy`, {
        table: table.id,
        phase: 'copy',
      });
    }
    phase = 'manifest';
    const parts = sink.parts.map((part) => ({ key: part.key ?? location.partKey(part.index), bytes: part.bytes }));
    const finishedAt = new Date();
    const document: BatchDocument = {
      format_version: 1,
      batch_id: batchId,
      source: table.source,
      table: table.name,
      source_relation: { schema: shape.schema, name: shape.name },
      mode: table.mode,
      primary_key: table.primaryKey,
      cursor: plan.cursor ? { column: plan.cursor.column.name, kind: plan.cursor.kind } : undefined,
      interval: { start: interval.start.toISOString(), end: interval.end.toISOString() },
      window: plan.window ? { start: plan.window.start.toISOString(), end: plan.window.end.toISOString() } : undefined,
      columns: plan.columns,
      ...(checked ? { value_checks: { policy: table.valuePolicy ?? 'fail', findings: checked.findings }, text_bytes: checked.textBytes } : {}),
      metadata_columns: { batch_id: BATCH_ID_COLUMN, extracted_at: EXTRACTED_AT_COLUMN },
      format: { type: 'csv', compression: 'gzip', header: false, null: '\\N' },
      rows,
      bytes: { uncompressed: sink.bytesIn, compressed: sink.bytesOut },
      parts,
      extracted_at: startedAt.toISOString(),
      timing: { started_at: startedAt.toISOString(), finished_at: finishedAt.toISOString(), seconds: (finishedAt.getTime() - startedAt.getTime()) / 1000 },
    };
    if (!context.dryRun) {
      await putJson(context.s3, location.bucket, location.batchKey, document);
      await putJson(context.s3, location.bucket, location.manifestKey, redshiftManifest(location.bucket, parts));
    }
    return {
      table: table.id,
      batchId,
      location,
      manifestUrl: s3Url(location.bucket, location.manifestKey),
      rows,
      bytesIn: sink.bytesIn,
      bytesOut: sink.bytesOut,
      parts: parts.length,
      seconds: document.timing.seconds,
      document,
    };
  } catch (error) {
    if (writer) {
      if (!writer.destroyed) writer.destroy();
      // The pipeline rejects as soon as it has destroyed the writer; wait until the writer has
      // closed, i.e. has aborted every multipart upload, before reporting the failure.
      const closing = writer;
      if (!closing.closed) await new Promise<void>((resolve) => closing.once('close', () => resolve()));
    }
    if (!context.dryRun) await removeBatchObjects(context.s3, location).catch(() => {});
    if (context.signal?.aborted && !(error instanceof ConfigError)) {
      throw new CancelledError(`${table.id}: extract cancelled during ${phase}; no manifest was written`, { table: table.id, phase });
    }
    return fail(error);
  } finally {
    if (client) {
      if (clientBroken) client.release(clientBroken);
      else {
        await client.query('rollback').catch(() => {});
        client.release();
      }
    }
  }
}

async function putJson(s3: S3Client, bucket: string, key: string, value: unknown): Promise<void> {
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: JSON.stringify(value, null, 2), ContentType: 'application/json' }));
}

/** Removes a batch's objects, manifest first, so a half-replaced batch is never loadable. */
async function removeBatchObjects(s3: S3Client, location: BatchLocation): Promise<void> {
  await s3.send(new DeleteObjectsCommand({ Bucket: location.bucket, Delete: { Objects: [{ Key: location.manifestKey }], Quiet: true } })).catch(() => {});
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: location.bucket, Prefix: location.prefix, ContinuationToken: token }));
    const keys = (page.Contents ?? []).map((object) => ({ Key: object.Key! }));
    if (keys.length > 0) await s3.send(new DeleteObjectsCommand({ Bucket: location.bucket, Delete: { Objects: keys, Quiet: true } }));
    token = page.NextContinuationToken;
  } while (token);
}
