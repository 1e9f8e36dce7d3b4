// Where a batch lives on S3: <prefix>/<source>/<table>/<batch id>/ holding part-NNNNN.csv.gz,
// then batch.json, then manifest.json. The manifest is written last, so a batch without one
// is incomplete by definition and loaders refuse it.

import type { StagingSettings } from '../config/project.js';

export interface BatchLocation {
  readonly bucket: string;
  /** Key prefix ending in `/`. */
  readonly prefix: string;
  partKey(index: number): string;
  readonly manifestKey: string;
  readonly batchKey: string;
}

export function batchLocation(staging: Pick<StagingSettings, 'bucket' | 'prefix'>, source: string, table: string, batchId: string): BatchLocation {
  const base = [staging.prefix, source, table, batchId].filter((segment) => segment.length > 0).join('/');
  const prefix = `${base}/`;
  return {
    bucket: staging.bucket,
    prefix,
    partKey: (index) => `${prefix}part-${String(index).padStart(5, '0')}.csv.gz`,
    manifestKey: `${prefix}manifest.json`,
    batchKey: `${prefix}batch.json`,
  };
}

export function s3Url(bucket: string, key: string): string {
  return `s3://${bucket}/${key}`;
}
