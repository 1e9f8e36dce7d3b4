// Part files stored through ONE reused buffer of `uploadPartSizeBytes` each: the part's bytes
// fill it, a full buffer goes up as one UploadPart and is refilled only once S3 has it, and a
// part that never filled it is a single PutObject. A table read in ranges opens one such part
// per range at a time, so its upload memory is ranges × one buffer; lib-storage's Upload, used
// for a single stream, holds a queue of parts plus the pieces each is concatenated from.
// S3's multipart rules: every part but the last at least 5 MiB, at most 10,000 parts
// (https://docs.aws.amazon.com/AmazonS3/latest/userguide/qfacts.html).

import { Writable } from 'node:stream';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  PutObjectCommand,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import type { PartFileResult, PartFileTarget, S3PartFileOptions } from './part-files.js';

export function oneBufferS3PartFiles(options: Omit<S3PartFileOptions, 'uploadQueueSize'>): PartFileTarget {
  const { client, bucket } = options;
  return {
    open(index) {
      const key = options.keyFor(index);
      const buffer = Buffer.allocUnsafe(options.uploadPartSizeBytes);
      let filled = 0;
      let uploadId: string | undefined;
      const parts: { ETag: string | undefined; PartNumber: number }[] = [];
      /** The request in flight, awaited before an abort removes the multipart upload. */
      let sending: Promise<unknown> = Promise.resolve();
      let settle!: (result: PartFileResult) => void;
      let fail!: (error: unknown) => void;
      const done = new Promise<PartFileResult>((resolve, reject) => {
        settle = resolve;
        fail = reject;
      });
      done.catch(() => {});
      const send = <T>(request: Promise<T>): Promise<T> => {
        sending = request.catch(() => {});
        return request;
      };
      const uploadBuffer = async () => {
        uploadId ??= (await send(client.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: key, ContentType: 'text/csv', ContentEncoding: 'gzip' }))))
          .UploadId;
        const PartNumber = parts.length + 1;
        const body = buffer.subarray(0, filled);
        const { ETag } = await send(
          client.send(new UploadPartCommand({ Bucket: bucket, Key: key, UploadId: uploadId, PartNumber, Body: body, ContentLength: body.length })),
        );
        parts.push({ ETag, PartNumber });
        filled = 0;
      };
      const stream = new Writable({
        highWaterMark: 64 * 1024,
        write(chunk: Buffer, _encoding, callback) {
          (async () => {
            for (let offset = 0; offset < chunk.length; ) {
              const copied = chunk.copy(buffer, filled, offset);
              filled += copied;
              offset += copied;
              if (filled === buffer.length) await uploadBuffer();
            }
          })().then(() => callback(), callback);
        },
        final(callback) {
          (async () => {
            if (uploadId === undefined) {
              const body = buffer.subarray(0, filled);
              await send(
                client.send(
                  new PutObjectCommand({ Bucket: bucket, Key: key, Body: body, ContentLength: body.length, ContentType: 'text/csv', ContentEncoding: 'gzip' }),
                ),
              );
            } else {
              if (filled > 0) await uploadBuffer();
              await send(client.send(new CompleteMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId, MultipartUpload: { Parts: parts } })));
            }
          })().then(() => {
            settle({ index, key });
            callback();
          }, callback);
        },
        destroy(error, callback) {
          fail(error ?? new Error(`upload of ${key} aborted`));
          callback(error);
        },
      });
      return {
        stream,
        done,
        abort: async () => {
          // The failure is reported through `done`; a stream nobody pipes into must not throw it.
          stream.on('error', () => {});
          stream.destroy(new Error(`upload of ${key} aborted`));
          await sending;
          if (uploadId) await client.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId })).catch(() => {});
        },
      };
    },
  };
}
