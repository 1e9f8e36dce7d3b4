// extractTableToS3: one table, one interval, one REPEATABLE READ snapshot, streamed
// COPY → gzip → S3 part files in constant memory, into a folder of this attempt's own, then its
// batch.json and, last, the batch's manifest.json, whose one PUT publishes the attempt. Only then
// are the previous attempt's objects removed. Everything that can fail without S3 (connect,
// introspection, plan, value checks) runs before the first write, and a failure afterwards removes
// only this attempt's objects: the interval keeps its last complete batch until a new one replaces it.
// A table large enough is read as ctid ranges on several connections at once (ranged-copy.ts),
// all under this transaction's exported snapshot, which stays open until every range is done.

import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type pg from 'pg';
import type { SourceTable, StagingSettings } from '../config/project.js';
import { CancelledError, ConfigError, errorMessage, ExtractError } from '../errors.js';
import { logger } from '../log/logger.js';
import { attemptOfManifest, batchLocation, newAttemptId, s3Url, type AttemptLocation, type BatchLocation } from '../batch/batch-layout.js';
import { redshiftManifest, redshiftManifestSchema, type BatchDocument } from '../batch/batch-manifest.js';
import { parseJsonDocument } from '../config/json-document.js';
import { abortIncompleteUploads, deleteKeysChecked, listKeys } from './batch-objects.js';
import { acquireTableExtractLock, releaseTableExtractLock } from './table-extract-lock.js';
import { BATCH_ID_COLUMN, DELETED_AT_COLUMN, EXTRACTED_AT_COLUMN, planExtract } from './extract-plan.js';
import { batchIdFor, describeInterval, type Interval } from '../batch/interval.js';
import { runValueChecks, type ValueCheckOutcome } from './redshift-value-checks.js';
import type { RotatingGzipWriter } from './rotating-gzip-writer.js';
import { closeFailedWriter, copyToParts } from './copy-to-parts.js';
import { introspectSourceTable } from './source-introspection.js';
import { connectionLost } from '../util/postgres-sessions.js';
import { KeyStreamBroken, streamKeys, type KeyStreamResult } from './key-stream.js';
import { planTableSlices, rangeConnections } from './table-slices.js';
import { exportSnapshot, keepTransactionAlive } from './shared-snapshot.js';
import { copyRanges, type RangeResult } from './ranged-copy.js';

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
  /** The warehouse holds nothing of this table: read every row before the interval's end. */
  readonly fromBeginning?: boolean;
  /** Called once a batch read in ranges has exported its snapshot, before any range reads. */
  readonly onSnapshotExported?: () => Promise<void>;
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
  /** The attempt folder the manifest now publishes. */
  readonly attempt: AttemptLocation;
  readonly manifestUrl: string;
  readonly rows: number;
  readonly bytesIn: number;
  readonly bytesOut: number;
  readonly parts: number;
  readonly seconds: number;
  readonly document: BatchDocument;
  /** `deletes: detect`: the key scan's figures. */
  readonly keys?: KeyStreamResult;
  /** Connections that read the batch at once (1 when it was read whole). */
  readonly slices: number;
}

// Fixed output settings make the files independent of the source server's defaults.
const FIXED_OUTPUT_SETTINGS = `set local timezone = 'UTC'; set local datestyle = 'ISO, YMD'; set local intervalstyle = 'iso_8601'; set local bytea_output = 'hex'; set local extra_float_digits = 3`;

type Phase = 'connect' | 'lock' | 'introspect' | 'check' | 'count' | 'copy' | 'keys' | 'upload' | 'manifest';

export async function extractTableToS3(table: SourceTable, interval: Interval, context: ExtractContext): Promise<ExtractResult> {
  const startedAt = new Date();
  const batchId = batchIdFor(interval);
  const location = batchLocation(context.staging, table.source, table.name, batchId);
  const attempt = location.attempt(newAttemptId(startedAt));
  const lockKey = s3Url(location.bucket, location.tablePrefix);
  let phase: Phase = 'connect';
  let client: pg.PoolClient | undefined;
  let locked = false;
  /** Set once this attempt may have written to S3: only then is there anything to clean up. */
  let wrote = false;
  /** Set while the manifest PUT is in flight: its failure may still have published the attempt. */
  let publishing = false;
  let clientBroken: Error | undefined;
  let writer: RotatingGzipWriter | undefined;
  let endpoint = '';
  const fail = (error: unknown): never => {
    if (error instanceof ConfigError || error instanceof ExtractError || error instanceof CancelledError) throw error;
    const where = phase === 'upload' || phase === 'manifest' ? ` (s3://${location.bucket}/${location.prefix}${endpoint})` : '';
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
    if (!context.dryRun) {
      phase = 'lock';
      await acquireTableExtractLock(client, lockKey, table.id);
      locked = true;
    }
    phase = 'introspect';
    await client.query('begin isolation level repeatable read read only');
    await client.query(FIXED_OUTPUT_SETTINGS);
    // now() is the transaction's start on the source's clock: when the snapshot's picture was taken.
    const snapshotAt = (await client.query<{ at: Date }>('select now() as at')).rows[0]!.at;
    const shape = await introspectSourceTable(client, table.sourceSchema, table.name, table.id);
    const piiKey = context.piiKey ?? (process.env.PGSHIFT_PII_KEY || undefined);
    let plan = planExtract(table, shape, interval, batchId, startedAt, piiKey, undefined, { fromBeginning: context.fromBeginning });
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
      if (checked.overrides.size > 0)
        plan = planExtract(table, shape, interval, batchId, startedAt, piiKey, checked.overrides, { fromBeginning: context.fromBeginning });
      phase = 'introspect';
    }

    if (!context.dryRun) {
      // Under the lock no other extract of this table is running, so any incomplete upload
      // under its prefix is a dead run's: abort it before it costs storage forever.
      phase = 'upload';
      wrote = true;
      const aborted = await abortIncompleteUploads(context.s3, location.bucket, location.tablePrefix);
      if (aborted > 0)
        logger.info(`${table.id}: aborted ${aborted} incomplete multipart upload(s) left by an earlier run under ${lockKey}`, { table: table.id });
    }

    phase = 'copy';
    const slicing = await planTableSlices(client, table, shape, plan, context);
    // A pool of one connection has none to spare for ranges: the batch is read whole.
    if (rangeConnections(context.source) < 1) slicing.plan = { workers: 1, estimatedBytes: slicing.plan.estimatedBytes };
    let rows: number;
    let sourceRows: number;
    let bytesIn: number;
    let bytesOut: number;
    let parts: { key: string; bytes: number }[];
    let ranges: readonly RangeResult[] | undefined;
    if (slicing.plan.ranges) {
      const snapshotId = await exportSnapshot(client);
      await context.onSnapshotExported?.();
      const live: RotatingGzipWriter[] = [];
      const sum = (value: (writer: RotatingGzipWriter) => number) => () => live.reduce((total, writer) => total + value(writer), 0);
      context.onStreaming?.({ table: table.id, rows: sum((w) => w.scanner.rows), bytesIn: sum((w) => w.bytesIn), bytesOut: sum((w) => w.bytesOut) });
      // The snapshot lives as long as this transaction: it stays open until every range is done.
      const stopKeepAlive = await keepTransactionAlive(client);
      try {
        ranges = await copyRanges({
          connect: () => context.source.connect(),
          coordinator: client,
          snapshotId,
          ranges: slicing.plan.ranges,
          workers: Math.min(slicing.plan.workers, rangeConnections(context.source)),
          plan,
          sessionSql: FIXED_OUTPUT_SETTINGS,
          s3: context.s3,
          bucket: location.bucket,
          staging: context.staging,
          attempt,
          dryRun: context.dryRun,
          signal: context.signal,
          tableId: table.id,
          onWriter: (created) => live.push(created),
        });
      } catch (error) {
        // The range that failed first failed storing a part (not a range stopped because of it).
        if (live.some((writer) => writer.storageFailure !== undefined && writer.storageFailure === error)) phase = 'upload';
        throw error;
      } finally {
        await stopKeepAlive();
      }
      rows = ranges.reduce((total, range) => total + range.rows, 0);
      sourceRows = ranges.reduce((total, range) => total + range.sourceRows, 0);
      bytesIn = ranges.reduce((total, range) => total + range.bytesIn, 0);
      bytesOut = ranges.reduce((total, range) => total + range.bytesOut, 0);
      parts = ranges.flatMap((range) => range.parts.map((part) => ({ key: part.key ?? attempt.rangePartKey(range.index, part.index), bytes: part.bytes })));
      // The window counted before the split, in the same snapshot: the ranges must add up to it.
      if (slicing.windowRows !== undefined && slicing.windowRows !== sourceRows) {
        throw new ExtractError(
          `${table.id}: counts disagree for ${describeWindow(plan.window)}: the source holds ${slicing.windowRows} rows in the snapshot, its ${ranges.length} ranges ${sourceRows}; the batch is not trustworthy and was not published`,
          { table: table.id, phase: 'copy' },
        );
      }
    } else {
      let copied: { copyRows: number; writer: RotatingGzipWriter };
      try {
        copied = await copyToParts(client, plan.copySql, {
          s3: context.s3,
          bucket: location.bucket,
          staging: context.staging,
          keyFor: attempt.partKey,
          dryRun: context.dryRun,
          signal: context.signal,
          tableId: table.id,
          cancelledMessage: `${table.id}: extract cancelled`,
          onWriter: (created) => {
            writer = created;
            context.onStreaming?.({ table: table.id, rows: () => created.scanner.rows, bytesIn: () => created.bytesIn, bytesOut: () => created.bytesOut });
          },
        });
      } catch (error) {
        clientBroken = error as Error;
        if (writer?.storageFailure !== undefined) phase = 'upload';
        throw error;
      }
      const sink = copied.writer;
      // The source's own count of the window, in the same snapshot as the COPY (after it, so a
      // statement waiting on a lock is the COPY itself).
      phase = 'count';
      sourceRows = Number((await client.query<{ rows: string }>(plan.countSql)).rows[0]!.rows);
      rows = copied.copyRows;
      if (rows !== sink.scanner.rows || rows !== sourceRows) {
        throw new ExtractError(
          `${table.id}: counts disagree for ${describeWindow(plan.window)}: the source holds ${sourceRows} rows in the snapshot, COPY reported ${rows}, ${sink.scanner.rows} CSV rows were written; the batch is not trustworthy and was not published`,
          { table: table.id, phase: 'copy' },
        );
      }
      bytesIn = sink.bytesIn;
      bytesOut = sink.bytesOut;
      parts = sink.parts.map((part) => ({ key: part.key ?? attempt.partKey(part.index), bytes: part.bytes }));
    }
    let keys: KeyStreamResult | undefined;
    if (plan.keyCopySql) {
      phase = 'keys';
      keys = await streamKeys(client, plan.keyCopySql, attempt, table.id, {
        s3: context.s3,
        bucket: location.bucket,
        staging: context.staging,
        dryRun: context.dryRun,
        signal: context.signal,
      }).catch((error: unknown) => {
        if (error instanceof KeyStreamBroken) clientBroken = error;
        throw error;
      });
    }
    await client.query('commit');
    phase = 'manifest';
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
      window: plan.window ? { start: plan.window.start?.toISOString() ?? null, end: plan.window.end.toISOString() } : undefined,
      columns: plan.columns,
      ...(checked ? { value_checks: { policy: table.valuePolicy ?? 'fail', findings: checked.findings }, text_bytes: checked.textBytes } : {}),
      metadata_columns: { batch_id: BATCH_ID_COLUMN, extracted_at: EXTRACTED_AT_COLUMN },
      format: { type: 'csv', compression: 'gzip', header: false, null: '\\N' },
      rows,
      source_rows: sourceRows,
      ...(ranges
        ? {
            ranges: ranges.map((range) => ({
              index: range.index,
              start_block: range.startBlock,
              end_block: range.endBlock ?? null,
              rows: range.rows,
              source_rows: range.sourceRows,
              parts: range.parts.length,
            })),
          }
        : {}),
      ...(keys
        ? {
            keys: { columns: [...table.primaryKey], rows: keys.rows, manifest_key: attempt.keysManifestKey, parts: keys.parts },
            metadata_columns: { batch_id: BATCH_ID_COLUMN, extracted_at: EXTRACTED_AT_COLUMN, deleted_at: DELETED_AT_COLUMN },
          }
        : {}),
      bytes: { uncompressed: bytesIn, compressed: bytesOut },
      parts,
      extracted_at: startedAt.toISOString(),
      snapshot_at: new Date(snapshotAt).toISOString(),
      timing: { started_at: startedAt.toISOString(), finished_at: finishedAt.toISOString(), seconds: (finishedAt.getTime() - startedAt.getTime()) / 1000 },
    };
    if (!context.dryRun) {
      if (keys) await putJson(context.s3, location.bucket, attempt.keysManifestKey, redshiftManifest(location.bucket, keys.parts));
      await putJson(context.s3, location.bucket, attempt.batchKey, document);
      publishing = true;
      await putJson(context.s3, location.bucket, location.manifestKey, redshiftManifest(location.bucket, parts));
      publishing = false;
      wrote = false;
      await removeSupersededAttempts(context.s3, location, attempt, table.id);
    }
    return {
      table: table.id,
      batchId,
      location,
      attempt,
      manifestUrl: s3Url(location.bucket, location.manifestKey),
      rows,
      bytesIn,
      bytesOut,
      parts: parts.length,
      seconds: document.timing.seconds,
      document,
      keys,
      slices: slicing.plan.ranges ? Math.min(slicing.plan.workers, rangeConnections(context.source), slicing.plan.ranges.length) : 1,
    };
  } catch (error) {
    // The pipeline rejects as soon as it has destroyed the writer; wait until the writer has
    // closed, i.e. has aborted every multipart upload, before reporting the failure.
    if (writer) await closeFailedWriter(writer);
    let cleanup = '';
    if (!context.dryRun && wrote) cleanup = await removeFailedAttempt(context.s3, location, attempt, publishing, table.id);
    if (context.signal?.aborted && !(error instanceof ConfigError)) {
      throw new CancelledError(`${table.id}: extract cancelled during ${phase}; the interval's previous batch, if any, is unchanged${cleanup}`, {
        table: table.id,
        phase,
      });
    }
    if (phase === 'upload' || phase === 'manifest') endpoint = await customEndpoint(context.s3);
    if (cleanup && error instanceof Error && !(error instanceof ConfigError || error instanceof CancelledError)) error.message += cleanup;
    return fail(error);
  } finally {
    if (client) {
      // A broken client is destroyed, and the server frees its session lock with it.
      if (clientBroken) client.release(clientBroken);
      else {
        await client.query('rollback').catch(() => {});
        // After the rollback: an aborted transaction would refuse the unlock. A session whose
        // unlock failed may still hold the lock, so it is destroyed rather than pooled again.
        const unlockFailure = locked
          ? await releaseTableExtractLock(client, lockKey).then(
              () => undefined,
              (error: unknown) => error as Error,
            )
          : undefined;
        client.release(unlockFailure);
      }
    }
  }
}

/** ` via <endpoint>` when the client talks to a custom S3 endpoint (a local server, a proxy), so an error names it. */
async function customEndpoint(s3: S3Client): Promise<string> {
  try {
    const endpoint = await s3.config.endpoint?.();
    return endpoint ? ` via ${endpoint.protocol}//${endpoint.hostname}${endpoint.port ? `:${endpoint.port}` : ''}` : '';
  } catch {
    return '';
  }
}

async function putJson(s3: S3Client, bucket: string, key: string, value: unknown): Promise<void> {
  await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: JSON.stringify(value, null, 2), ContentType: 'application/json' }));
}

/**
 * After the manifest names `current`, everything else under the batch folder is an earlier
 * attempt's (or the older layout's parts and batch.json): remove it. A failure here leaves the
 * published batch complete and loadable, so it is a warning; the next extract removes the rest.
 */
async function removeSupersededAttempts(s3: S3Client, location: BatchLocation, current: AttemptLocation, tableId: string): Promise<void> {
  try {
    const stale = (await listKeys(s3, location.bucket, location.prefix)).filter((key) => key !== location.manifestKey && !key.startsWith(current.prefix));
    await deleteKeysChecked(s3, location.bucket, stale, tableId, `of the attempts ${s3Url(location.bucket, current.prefix)} replaced`);
  } catch (error) {
    logger.warn(`${tableId}: the new batch is published, but removing the attempts it replaced failed: ${errorMessage(error)}`, { table: tableId });
  }
}

/**
 * Removes a failed attempt's objects, never the published batch's. If the manifest PUT itself
 * failed, S3 may still have stored it (the reply was lost): the manifest is read back first and
 * the attempt kept if it is what the manifest now publishes. Returns a note for the error message.
 */
async function removeFailedAttempt(s3: S3Client, location: BatchLocation, attempt: AttemptLocation, publishing: boolean, tableId: string): Promise<string> {
  try {
    if (publishing) {
      const published = await publishedAttemptId(s3, location);
      if (published === attempt.id || published === null)
        return `; ${s3Url(location.bucket, location.manifestKey)} may name this attempt, so its files were kept`;
    }
    await deleteKeysChecked(
      s3,
      location.bucket,
      await listKeys(s3, location.bucket, attempt.prefix),
      tableId,
      `of the failed attempt ${s3Url(location.bucket, attempt.prefix)}`,
    );
    return '';
  } catch (error) {
    return `; removing the failed attempt's files under ${s3Url(location.bucket, attempt.prefix)} also failed (${errorMessage(error)}); the next extract of the interval removes them`;
  }
}

/** The attempt id the batch's manifest publishes; undefined when there is none, null when it cannot be read. */
async function publishedAttemptId(s3: S3Client, location: BatchLocation): Promise<string | null | undefined> {
  try {
    const object = await s3.send(new GetObjectCommand({ Bucket: location.bucket, Key: location.manifestKey }));
    const parsed = parseJsonDocument(await object.Body!.transformToString('utf8'), redshiftManifestSchema);
    if (!parsed.ok) return null;
    return (
      attemptOfManifest(
        location,
        parsed.value.entries.map((entry) => entry.url),
      )?.id ?? null
    );
  } catch (error) {
    return (error as { name?: string }).name === 'NoSuchKey' ? undefined : null;
  }
}

function describeWindow(window: { readonly start?: Date; readonly end: Date } | undefined): string {
  if (!window) return 'the whole table';
  return window.start ? `the window ${describeInterval({ start: window.start, end: window.end })}` : `every row before ${window.end.toISOString()}`;
}
