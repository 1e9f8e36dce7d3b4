// Where a batch lives on S3. Each extract attempt writes its parts and batch.json in a folder of
// its own, <prefix>/<source>/<table>/<batch id>/<attempt id>/, and is published by ONE PutObject
// of <batch id>/manifest.json listing that attempt's parts. S3 is strongly consistent for PUTs
// and LISTs (https://docs.aws.amazon.com/AmazonS3/latest/userguide/Welcome.html#ConsistencyModel),
// so a reader sees the old manifest or the new one, each naming complete parts: at every instant
// the interval has one complete batch or none. Batches of the older layout (parts and batch.json
// directly under <batch id>/) still load: their manifest's entries sit in the batch folder itself.

import { randomBytes } from 'node:crypto';
import type { StagingSettings } from '../config/project.js';

export interface AttemptLocation {
  readonly id: string;
  /** Key prefix ending in `/`. */
  readonly prefix: string;
  partKey(index: number): string;
  /** Part `index` of range `range` of a batch read in ranges: part-<range>-<n>, unique and ordered across ranges. */
  rangePartKey(range: number, index: number): string;
  readonly batchKey: string;
  /** The source's primary keys at the snapshot (tables with `deletes: detect`), and their manifest. */
  keyPartKey(index: number): string;
  readonly keysManifestKey: string;
}

export interface BatchLocation {
  readonly bucket: string;
  /** The batch's key prefix, ending in `/`. */
  readonly prefix: string;
  /** The table's key prefix, ending in `/`: where its multipart uploads are looked for. */
  readonly tablePrefix: string;
  /** The published manifest: the one object whose PUT switches the batch to an attempt. */
  readonly manifestKey: string;
  attempt(attemptId: string): AttemptLocation;
}

export function batchLocation(staging: Pick<StagingSettings, 'bucket' | 'prefix'>, source: string, table: string, batchId: string): BatchLocation {
  const tableBase = [staging.prefix, source, table].filter((segment) => segment.length > 0).join('/');
  const prefix = `${tableBase}/${batchId}/`;
  return {
    bucket: staging.bucket,
    prefix,
    tablePrefix: `${tableBase}/`,
    manifestKey: `${prefix}manifest.json`,
    attempt: (id) => folderLocation(id, id === '' ? prefix : `${prefix}${id}/`),
  };
}

function folderLocation(id: string, prefix: string): AttemptLocation {
  const five = (n: number) => String(n).padStart(5, '0');
  const part = (index: number) => `part-${five(index)}.csv.gz`;
  return {
    id,
    prefix,
    partKey: (index) => `${prefix}${part(index)}`,
    rangePartKey: (range, index) => `${prefix}part-${five(range)}-${five(index)}.csv.gz`,
    batchKey: `${prefix}batch.json`,
    keyPartKey: (index) => `${prefix}keys/${part(index)}`,
    keysManifestKey: `${prefix}keys/manifest.json`,
  };
}

/** A sortable, unique attempt id: the UTC time to the millisecond plus random characters. */
export function newAttemptId(now: Date = new Date()): string {
  return `${now.toISOString().replace(/[-:.]/g, '')}-${randomBytes(3).toString('hex')}`;
}

/**
 * The attempt a manifest publishes: the folder holding every entry, which must be the batch
 * folder itself (older layout, attempt id '') or one attempt folder directly inside it. Anything
 * else (entries in two folders, outside the batch) is refused: undefined.
 */
export function attemptOfManifest(location: BatchLocation, entryUrls: readonly string[]): AttemptLocation | undefined {
  const base = s3Url(location.bucket, location.prefix);
  const ids = new Set<string>();
  for (const url of entryUrls) {
    if (!url.startsWith(base)) return undefined;
    const rest = url.slice(base.length).split('/');
    if (rest.length === 1) ids.add('');
    else if (rest.length === 2 && rest[0]!.length > 0) ids.add(rest[0]!);
    else return undefined;
  }
  if (ids.size !== 1) return undefined;
  return location.attempt([...ids][0]!);
}

export function s3Url(bucket: string, key: string): string {
  return `s3://${bucket}/${key}`;
}
