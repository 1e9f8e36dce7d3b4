// The key scan of a table with `deletes: detect`: every primary key at the extract's snapshot,
// streamed COPY → gzip → S3 parts of its own under the attempt folder (keys/), in constant memory.
// It runs in the extract's REPEATABLE READ transaction, right after the rows' COPY, so keys and
// rows describe the same instant. The load compares these keys with raw's live keys.

import type { S3Client } from '@aws-sdk/client-s3';
import type pg from 'pg';
import type { StagingSettings } from '../config/project.js';
import { ExtractError } from '../errors.js';
import type { AttemptLocation } from '../batch/batch-layout.js';
import { closeFailedWriter, copyToParts } from './copy-to-parts.js';
import type { RotatingGzipWriter } from './rotating-gzip-writer.js';

export interface KeyStreamResult {
  readonly rows: number;
  readonly bytesIn: number;
  readonly bytesOut: number;
  readonly parts: readonly { readonly key: string; readonly bytes: number }[];
}

export interface KeyStreamContext {
  readonly s3: S3Client;
  readonly bucket: string;
  readonly staging: StagingSettings;
  readonly dryRun?: boolean;
  readonly signal?: AbortSignal;
}

/** Thrown with the COPY's own error as cause when the stream broke: the client is then unusable. */
export class KeyStreamBroken extends Error {}

export async function streamKeys(
  client: pg.PoolClient,
  copySql: string,
  attempt: AttemptLocation,
  tableId: string,
  context: KeyStreamContext,
): Promise<KeyStreamResult> {
  let writer: RotatingGzipWriter | undefined;
  let copied: { copyRows: number; writer: RotatingGzipWriter };
  try {
    copied = await copyToParts(client, copySql, {
      ...context,
      keyFor: attempt.keyPartKey,
      tableId,
      cancelledMessage: `${tableId}: key scan cancelled`,
      onWriter: (created) => {
        writer = created;
      },
    });
  } catch (error) {
    // Every part's multipart upload is aborted before the attempt is cleaned up.
    if (writer) await closeFailedWriter(writer);
    throw new KeyStreamBroken(`${tableId}: the key scan failed, so no deletes can be detected from it`, { cause: error });
  }
  const { copyRows, writer: sink } = copied;
  // A partial key stream would make every missing key look deleted: its two counts must agree.
  if (copyRows !== sink.scanner.rows) {
    throw new ExtractError(
      `${tableId}: the key scan's COPY reported ${copyRows} keys but ${sink.scanner.rows} CSV rows were written; no deletes are detected from it`,
      { table: tableId, phase: 'keys' },
    );
  }
  return {
    rows: copyRows,
    bytesIn: sink.bytesIn,
    bytesOut: sink.bytesOut,
    parts: sink.parts.map((part) => ({ key: part.key ?? attempt.keyPartKey(part.index), bytes: part.bytes })),
  };
}
