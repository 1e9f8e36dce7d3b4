// Part files stored through a buffer of `uploadPartSizeBytes` taken from a pool shared by a
// table's ranges (UploadSlots): a part's bytes fill the buffer, a full buffer goes up as one
// UploadPart and returns to the pool once S3 has it, and a part that never filled one is a
// single PutObject. The pool holds a few buffers, so N ranges touch that few buffers' memory;
// a range without one waits, its COPY paused by backpressure. lib-storage's Upload, used for a
// single stream, holds a queue of parts plus the pieces each is concatenated from.
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

/**
 * The buffers parts fill, shared by a table's ranges: a part takes one before its first byte and
 * gives it back once its bytes are stored, so N ranges hold at most `count` buffers and the
 * others wait. A holder always progresses (its own COPY fills its buffer), so every wait ends.
 */
export class UploadSlots {
  private readonly waiting: ((buffer: Buffer) => void)[] = [];
  private readonly free: Buffer[] = [];
  private created = 0;
  constructor(
    private readonly count: number,
    private readonly bytes: number,
  ) {}

  /** A buffer of the pool's size: only `count` ever exist, so their pages stay the only ones touched. */
  async acquire(): Promise<Buffer> {
    const free = this.free.pop();
    if (free) return free;
    if (this.created < this.count) {
      this.created += 1;
      return Buffer.allocUnsafeSlow(this.bytes);
    }
    return new Promise<Buffer>((resolve) => this.waiting.push(resolve));
  }

  release(buffer: Buffer): void {
    const next = this.waiting.shift();
    if (next) next(buffer);
    else this.free.push(buffer);
  }
}

export function oneBufferS3PartFiles(options: Omit<S3PartFileOptions, 'uploadQueueSize'> & { readonly slots?: UploadSlots }): PartFileTarget {
  const { client, bucket } = options;
  return {
    open(index) {
      const key = options.keyFor(index);
      const slots = options.slots ?? new UploadSlots(1, options.uploadPartSizeBytes);
      /** Held while bytes wait in it for S3; given back once they are stored. */
      let buffer: Buffer | undefined;
      let filled = 0;
      let ended = false;
      const take = async (): Promise<Buffer> => {
        if (buffer) return buffer;
        const taken = await slots.acquire();
        buffer = taken;
        // Destroyed while waiting: hand the buffer on at once.
        if (ended) giveBack();
        return taken;
      };
      const giveBack = () => {
        if (!buffer) return;
        const held = buffer;
        buffer = undefined;
        slots.release(held);
      };
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
        const body = buffer!.subarray(0, filled);
        const { ETag } = await send(
          client.send(new UploadPartCommand({ Bucket: bucket, Key: key, UploadId: uploadId, PartNumber, Body: body, ContentLength: body.length })),
        );
        parts.push({ ETag, PartNumber });
        filled = 0;
        giveBack();
      };
      const stream = new Writable({
        highWaterMark: 64 * 1024,
        write(chunk: Buffer, _encoding, callback) {
          (async () => {
            for (let offset = 0; offset < chunk.length; ) {
              const target = await take();
              if (ended) throw new Error(`upload of ${key} aborted`);
              const copied = chunk.copy(target, filled, offset);
              filled += copied;
              offset += copied;
              if (filled === target.length) await uploadBuffer();
            }
          })().then(() => callback(), callback);
        },
        final(callback) {
          (async () => {
            if (uploadId === undefined) {
              const body = (buffer ?? Buffer.alloc(0)).subarray(0, filled);
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
            giveBack();
            settle({ index, key });
            callback();
          }, callback);
        },
        destroy(error, callback) {
          ended = true;
          // Not before a request still reading the buffer has settled: the next holder overwrites it.
          void sending.then(giveBack);
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
