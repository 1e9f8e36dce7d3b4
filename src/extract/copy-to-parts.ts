// One COPY … TO STDOUT streamed through gzip into part files (S3, or discarded for a dry run),
// cancelled with the signal: the rows' COPY and the key scan of an extract both run this.

import type { S3Client } from '@aws-sdk/client-s3';
import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { pipeline } from 'node:stream/promises';
import type { StagingSettings } from '../config/project.js';
import { CancelledError } from '../errors.js';
import { discardingPartFiles, s3PartFiles } from './part-files.js';
import { oneBufferS3PartFiles, type UploadSlots } from './one-buffer-part-files.js';
import { RotatingGzipWriter } from './rotating-gzip-writer.js';

export interface CopyToPartsOptions {
  readonly s3: S3Client;
  readonly bucket: string;
  readonly staging: StagingSettings;
  /** The S3 key of part `index`. */
  keyFor(index: number): string;
  readonly dryRun?: boolean;
  readonly signal?: AbortSignal;
  /** What a cancel says, e.g. `shop.orders: extract cancelled`. */
  readonly cancelledMessage: string;
  readonly tableId: string;
  /** Finished parts still uploading while the next fills (rotating-gzip-writer.ts; default 2). */
  readonly maxPartsInFlight?: number;
  /** Store each part through one reused buffer (one-buffer-part-files.ts) instead of lib-storage's queue, holding one of these slots while it fills. */
  readonly oneBufferUploads?: { readonly slots?: UploadSlots };
  /** The writer's queue of COPY data (rotating-gzip-writer.ts; default 1 MB). */
  readonly highWaterMark?: number;
  /** Handed the writer before the first row, for progress display and for cleaning up after a failure. */
  onWriter?(writer: RotatingGzipWriter): void;
}

/** Streams the COPY; returns the COPY's row count and the writer (parts, bytes, CSV rows written). */
export async function copyToParts(
  client: pg.PoolClient,
  copySql: string,
  options: CopyToPartsOptions,
): Promise<{ copyRows: number; writer: RotatingGzipWriter }> {
  const copyStream = client.query(copyTo(copySql));
  const target = options.dryRun
    ? discardingPartFiles()
    : options.oneBufferUploads
      ? oneBufferS3PartFiles({
          client: options.s3,
          bucket: options.bucket,
          keyFor: options.keyFor,
          uploadPartSizeBytes: options.staging.uploadPartSizeBytes,
          slots: options.oneBufferUploads.slots,
        })
      : s3PartFiles({
          client: options.s3,
          bucket: options.bucket,
          keyFor: options.keyFor,
          uploadPartSizeBytes: options.staging.uploadPartSizeBytes,
          uploadQueueSize: options.staging.uploadQueueSize,
        });
  const writer = new RotatingGzipWriter(target, {
    gzipLevel: options.staging.gzipLevel,
    partSizeBytes: options.staging.partSizeBytes,
    maxPartsInFlight: options.maxPartsInFlight,
    highWaterMark: options.highWaterMark,
  });
  options.onWriter?.(writer);
  const onAbort = () => copyStream.destroy(new CancelledError(options.cancelledMessage, { table: options.tableId }));
  options.signal?.addEventListener('abort', onAbort, { once: true });
  try {
    await pipeline(copyStream, writer);
  } finally {
    options.signal?.removeEventListener('abort', onAbort);
  }
  return { copyRows: copyStream.rowCount, writer };
}

/** Stops a failed writer and waits until it has aborted every multipart upload it opened. */
export async function closeFailedWriter(writer: RotatingGzipWriter): Promise<void> {
  if (!writer.destroyed) writer.destroy();
  if (!writer.closed) await new Promise<void>((resolve) => writer.once('close', () => resolve()));
}
