// Where compressed part files go. S3 in production; a discarding sink for `--dry-run`, which
// measures the source and the compression without uploading anything.

import { PassThrough, Writable } from 'node:stream';
import { AbortMultipartUploadCommand, type S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';

export interface PartFileResult {
  readonly index: number;
  /** S3 key, or undefined when the part was discarded. */
  readonly key?: string;
}

export interface OpenPartFile {
  /** Receives the part's gzip bytes. */
  readonly stream: Writable;
  /** Settles when the part is stored (or has failed). */
  readonly done: Promise<PartFileResult>;
  /** Stops the part and removes any half-stored state (an open multipart upload). */
  abort(): Promise<void>;
}

export interface PartFileTarget {
  open(index: number): OpenPartFile;
}

export interface S3PartFileOptions {
  client: S3Client;
  bucket: string;
  keyFor(index: number): string;
  uploadPartSizeBytes: number;
  uploadQueueSize: number;
}

export function s3PartFiles(options: S3PartFileOptions): PartFileTarget {
  return {
    open(index) {
      const key = options.keyFor(index);
      const body = new PassThrough();
      const upload = new Upload({
        client: options.client,
        params: { Bucket: options.bucket, Key: key, Body: body, ContentType: 'text/csv', ContentEncoding: 'gzip' },
        partSize: options.uploadPartSizeBytes,
        queueSize: options.uploadQueueSize,
        leavePartsOnError: false,
      });
      const done = upload.done().then(() => ({ index, key }));
      return {
        stream: body,
        done,
        // Failing the body (rather than Upload.abort(), which returns at once) makes lib-storage
        // wait for in-flight parts and then send AbortMultipartUpload before done() settles.
        // A second abort afterwards covers parts that S3 accepted while the first was running.
        abort: async () => {
          body.destroy(new Error(`upload of ${key} aborted`));
          await done.catch(() => {});
          const uploadId = (upload as unknown as { uploadId?: string }).uploadId;
          if (uploadId) {
            await options.client.send(new AbortMultipartUploadCommand({ Bucket: options.bucket, Key: key, UploadId: uploadId })).catch(() => {});
          }
        },
      };
    },
  };
}

export function discardingPartFiles(): PartFileTarget {
  return {
    open(index) {
      let settle!: (result: PartFileResult) => void;
      let fail!: (error: unknown) => void;
      const done = new Promise<PartFileResult>((resolve, reject) => {
        settle = resolve;
        fail = reject;
      });
      const stream = new Writable({
        write(_chunk: Buffer, _encoding, callback) {
          callback();
        },
        final(callback) {
          settle({ index });
          callback();
        },
        destroy(error, callback) {
          if (error) fail(error);
          callback(error);
        },
      });
      done.catch(() => {});
      return { stream, done, abort: async () => void stream.destroy() };
    },
  };
}
