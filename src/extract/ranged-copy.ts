// A batch read as block ranges on several connections at once, all under the extract's one
// exported snapshot. Each connection imports the snapshot, then takes ranges off a shared queue;
// each range is one COPY streamed into its own part files (part-<range>-<n>) and then counted,
// in the same snapshot, so every range checks its rows on its own. The first failure stops every
// range: their COPYs are cancelled, their sessions ended and their multipart uploads aborted
// before this returns.

import type { S3Client } from '@aws-sdk/client-s3';
import type pg from 'pg';
import type { StagingSettings } from '../config/project.js';
import { CancelledError, ExtractError } from '../errors.js';
import type { AttemptLocation } from '../batch/batch-layout.js';
import { closeFailedWriter, copyToParts } from './copy-to-parts.js';
import type { ExtractPlan } from './extract-plan.js';
import { MAX_PART_BYTES } from './part-count.js';
import { rangeStatements } from './range-statements.js';
import type { RotatingGzipWriter } from './rotating-gzip-writer.js';
import { importSnapshot } from './shared-snapshot.js';
import type { BlockRange } from './slice-plan.js';
import { RANGE_STREAM_BUFFER_BYTES } from './slice-memory.js';
import { UploadSlots } from './one-buffer-part-files.js';
import type { Queryable } from '../sql/queryable.js';
import { awaitSessionsEnded, backendPid, sendCancelRequest } from '../util/postgres-sessions.js';

export interface RangeResult {
  readonly index: number;
  readonly startBlock: number;
  readonly endBlock?: number;
  /** Rows COPY sent, equal to the CSV rows written and to the range's count(*) in the snapshot. */
  readonly rows: number;
  readonly sourceRows: number;
  readonly bytesIn: number;
  readonly bytesOut: number;
  readonly parts: readonly { readonly key?: string; readonly index: number; readonly bytes: number }[];
}

export interface RangedCopyOptions {
  readonly connect: () => Promise<pg.PoolClient>;
  /** The session that exported the snapshot: it watches broken ranges' sessions end. */
  readonly coordinator: Queryable;
  readonly snapshotId: string;
  readonly ranges: readonly BlockRange[];
  readonly workers: number;
  readonly plan: Pick<ExtractPlan, 'selectList' | 'relation' | 'windowPredicate' | 'settings'>;
  /** Statements every range's transaction runs first: the extract's fixed output settings. */
  readonly sessionSql: string;
  readonly s3: S3Client;
  readonly bucket: string;
  readonly staging: StagingSettings;
  readonly attempt: AttemptLocation;
  readonly dryRun?: boolean;
  readonly signal?: AbortSignal;
  readonly tableId: string;
  /** Handed each range's writer as it starts, for progress and clean-up. */
  onWriter?(writer: RotatingGzipWriter): void;
}

/** Resolves with every range's figures in range order, or rejects with the first range's error once all have stopped. */
export async function copyRanges(options: RangedCopyOptions): Promise<RangeResult[]> {
  const stop = new AbortController();
  const onOuterAbort = () => stop.abort(options.signal?.reason);
  // A signal aborted already fires no event: stop at once.
  if (options.signal?.aborted) stop.abort(options.signal.reason);
  else options.signal?.addEventListener('abort', onOuterAbort, { once: true });
  const queue = [...options.ranges];
  const results: RangeResult[] = [];
  const writers: RotatingGzipWriter[] = [];
  const brokenSessions: number[] = [];
  let firstError: unknown;
  const fail = (error: unknown) => {
    firstError ??= error;
    if (!stop.signal.aborted) stop.abort(error);
  };
  // Each range has one upload at a time, through one buffer: the writer rotates only past
  // S3-friendly 1 GB, and waits for a finished part before the next (maxPartsInFlight 0).
  const staging: StagingSettings = { ...options.staging, partSizeBytes: MAX_PART_BYTES };
  const slots = new UploadSlots(options.staging.rangeUploadBuffers, options.staging.uploadPartSizeBytes);

  const worker = async () => {
    let client: pg.PoolClient | undefined;
    let broken: Error | undefined;
    try {
      client = await options.connect();
      if (stop.signal.aborted) return;
      await importSnapshot(client, options.snapshotId, options.tableId);
      await client.query(options.sessionSql);
      await setLocal(client, options.plan.settings);
      for (let range = queue.shift(); range && !stop.signal.aborted; range = queue.shift()) {
        const statements = rangeStatements(options.plan, range);
        await setLocal(client, statements.settings);
        let copied: Awaited<ReturnType<typeof copyToParts>>;
        try {
          copied = await copyToParts(client, statements.copySql, {
            s3: options.s3,
            bucket: options.bucket,
            staging,
            keyFor: (index) => options.attempt.rangePartKey(range!.index, index),
            dryRun: options.dryRun,
            signal: stop.signal,
            tableId: options.tableId,
            cancelledMessage: `${options.tableId}: range ${range.index} stopped because another range failed`,
            maxPartsInFlight: 0,
            oneBufferUploads: { slots },
            highWaterMark: RANGE_STREAM_BUFFER_BYTES,
            onWriter: (created) => {
              writers.push(created);
              options.onWriter?.(created);
            },
          });
        } catch (error) {
          // A COPY that broke off leaves the connection mid-protocol: it is destroyed, not pooled.
          broken = error as Error;
          throw error;
        }
        const sourceRows = Number((await client.query<{ rows: string }>(statements.countSql)).rows[0]!.rows);
        const { copyRows, writer } = copied;
        if (copyRows !== writer.scanner.rows || copyRows !== sourceRows) {
          throw new ExtractError(
            `${options.tableId}: counts disagree for range ${range.index} (blocks ${range.startBlock}..${range.endBlock ?? 'end'}): the source holds ${sourceRows} rows in the snapshot, COPY reported ${copyRows}, ${writer.scanner.rows} CSV rows were written; the batch is not trustworthy and was not published`,
            { table: options.tableId, phase: 'copy' },
          );
        }
        results.push({
          index: range.index,
          startBlock: range.startBlock,
          ...(range.endBlock === undefined ? {} : { endBlock: range.endBlock }),
          rows: copyRows,
          sourceRows,
          bytesIn: writer.bytesIn,
          bytesOut: writer.bytesOut,
          parts: writer.parts,
        });
      }
    } catch (error) {
      fail(error);
    } finally {
      if (client) {
        if (broken) {
          // Its server session may still be busy with the COPY: asked to stop, then awaited below.
          const pid = backendPid(client);
          if (pid !== undefined) brokenSessions.push(pid);
          await sendCancelRequest(client);
          client.release(broken);
        } else {
          const rollback = await client.query('rollback').then(
            () => undefined,
            (error: unknown) => error as Error,
          );
          client.release(rollback);
        }
      }
    }
  };

  try {
    await Promise.all(Array.from({ length: Math.max(1, Math.min(options.workers, options.ranges.length)) }, worker));
  } finally {
    options.signal?.removeEventListener('abort', onOuterAbort);
    // Every range's uploads are aborted before the caller removes the attempt's objects.
    if (firstError !== undefined) await Promise.all(writers.map(closeFailedWriter));
    // No range's session outlives the extract, in a transaction or still copying.
    await awaitSessionsEnded(options.coordinator, brokenSessions).catch(() => undefined);
  }
  if (firstError !== undefined) throw firstError;
  // Stopped before a range failed (cancelled while connecting): nothing may pass for a whole batch.
  if (stop.signal.aborted) throw new CancelledError(`${options.tableId}: extract cancelled`, { table: options.tableId });
  if (results.length !== options.ranges.length) {
    throw new ExtractError(`${options.tableId}: ${results.length} of ${options.ranges.length} ranges were read; the batch was not published`, {
      table: options.tableId,
      phase: 'copy',
    });
  }
  return results.sort((a, b) => a.index - b.index);
}

async function setLocal(client: pg.PoolClient, settings: Readonly<Record<string, string>>): Promise<void> {
  const names = Object.keys(settings);
  if (names.length === 0) return;
  await client.query(
    `select ${names.map((_, i) => `set_config($${2 * i + 1}, $${2 * i + 2}, true)`).join(', ')}`,
    names.flatMap((name) => [name, settings[name]]),
  );
}
