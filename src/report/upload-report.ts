// Copies the written report folder to S3, one PutObject per file, with content types set so
// that a browser opening the objects shows the page and downloads the CSVs.

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { errorMessage } from '../errors.js';
import { ReportError } from './report-error.js';

export interface ReportUploadTarget {
  readonly client: S3Client;
  readonly bucket: string;
  /** Key prefix; the files go under `<prefix>/reports/<date>/`. */
  readonly prefix: string;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
};

export function reportKeyPrefix(prefix: string, date: string): string {
  const base = prefix.replace(/^\/+|\/+$/g, '');
  return `${base ? `${base}/` : ''}reports/${date}/`;
}

/** Uploads each file and returns the s3:// URIs written. */
export async function uploadReport(target: ReportUploadTarget, date: string, files: readonly string[], signal?: AbortSignal): Promise<string[]> {
  const keyPrefix = reportKeyPrefix(target.prefix, date);
  const uris: string[] = [];
  for (const file of files) {
    const key = keyPrefix + path.basename(file);
    try {
      await target.client.send(
        new PutObjectCommand({
          Bucket: target.bucket,
          Key: key,
          Body: await readFile(file),
          ContentType: CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream',
          // Reports are rewritten when a day is run again; caches must not keep the old one.
          CacheControl: 'no-cache',
        }),
        { abortSignal: signal },
      );
    } catch (error) {
      throw new ReportError(
        `report for ${date}: uploading ${path.basename(file)} to s3://${target.bucket}/${key} failed: ${errorMessage(error)}`,
        { key, bucket: target.bucket, date },
        { cause: error },
      );
    }
    uris.push(`s3://${target.bucket}/${key}`);
  }
  return uris;
}
