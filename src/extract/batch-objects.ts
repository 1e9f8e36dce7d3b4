// The S3 housekeeping around an extract attempt: listing a batch's objects, deleting keys with
// every per-key failure checked, and aborting the incomplete multipart uploads an earlier run
// left under a table's prefix.

import { AbortMultipartUploadCommand, DeleteObjectsCommand, ListMultipartUploadsCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { ExtractError } from '../errors.js';

// DeleteObjects takes at most 1,000 keys per request:
// https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObjects.html
const DELETE_BATCH = 1000;

export async function listKeys(s3: S3Client, bucket: string, prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }));
    for (const object of page.Contents ?? []) if (object.Key) keys.push(object.Key);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys;
}

/**
 * Deletes keys and fails if S3 could not delete any of them. In quiet mode DeleteObjects answers
 * 200 and lists only the keys it failed to delete, each with a code, in `Errors`
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_DeleteObjects.html): a 200 alone proves nothing.
 */
export async function deleteKeysChecked(s3: S3Client, bucket: string, keys: readonly string[], tableId: string, why: string): Promise<void> {
  for (let start = 0; start < keys.length; start += DELETE_BATCH) {
    const chunk = keys.slice(start, start + DELETE_BATCH);
    const reply = await s3.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: chunk.map((Key) => ({ Key })), Quiet: true } }));
    const errors = reply.Errors ?? [];
    if (errors.length > 0) {
      const shown = errors
        .slice(0, 3)
        .map((error) => `s3://${bucket}/${error.Key} (${error.Code ?? 'error'}: ${error.Message ?? 'no message'})`)
        .join(', ');
      const more = errors.length > 3 ? ` and ${errors.length - 3} more` : '';
      throw new ExtractError(
        `${tableId}: S3 did not delete ${errors.length} object(s) ${why}: ${shown}${more}; check the credentials' s3:DeleteObject permission on the bucket, then delete them or run the extract again`,
        { table: tableId, phase: 'cleanup', bucket, keys: errors.length },
      );
    }
  }
}

/**
 * Aborts every incomplete multipart upload under prefix and returns how many. ListMultipartUploads
 * pages through at most 1,000 uploads a reply, continued by KeyMarker and UploadIdMarker
 * (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListMultipartUploads.html); aborting frees
 * the parts already stored (https://docs.aws.amazon.com/AmazonS3/latest/API/API_AbortMultipartUpload.html).
 * The caller holds the table's extract lock, so no upload found here belongs to a live extract.
 */
export async function abortIncompleteUploads(s3: S3Client, bucket: string, prefix: string): Promise<number> {
  let aborted = 0;
  let keyMarker: string | undefined;
  let uploadIdMarker: string | undefined;
  do {
    const page = await s3.send(new ListMultipartUploadsCommand({ Bucket: bucket, Prefix: prefix, KeyMarker: keyMarker, UploadIdMarker: uploadIdMarker }));
    for (const upload of page.Uploads ?? []) {
      if (!upload.Key || !upload.UploadId) continue;
      await s3.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: upload.Key, UploadId: upload.UploadId }));
      aborted++;
    }
    const more = page.IsTruncated === true;
    keyMarker = more ? page.NextKeyMarker : undefined;
    uploadIdMarker = more ? page.NextUploadIdMarker : undefined;
  } while (keyMarker);
  return aborted;
}
