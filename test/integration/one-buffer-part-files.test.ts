// Part files stored through one reused buffer, against the local S3 server: a part smaller than
// the buffer is one PutObject, a larger one a multipart upload whose object holds exactly the
// bytes written, and an abort midway leaves no multipart upload open.

import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { oneBufferS3PartFiles, UploadSlots } from '../../src/extract/one-buffer-part-files.js';
import { listKeys, openMultipartUploads, readObject } from '../support/s3-objects.js';
import { createTestBucket, type TestBucket } from '../support/test-env.js';

const MiB = 1024 * 1024;

describe('one-buffer part files', () => {
  let bucket: TestBucket;
  const requests: string[] = [];

  beforeAll(async () => {
    bucket = await createTestBucket('one_buffer');
    bucket.client.middlewareStack.add(
      (next, context) => async (args) => {
        requests.push(context.commandName ?? '');
        return next(args);
      },
      { step: 'initialize', name: 'recordCommands' },
    );
  });
  afterAll(async () => bucket?.drop());

  const target = () => oneBufferS3PartFiles({ client: bucket.client, bucket: bucket.bucket, keyFor: (i) => `p/part-${i}.gz`, uploadPartSizeBytes: 5 * MiB });
  const write = async (stream: NodeJS.WritableStream, data: Buffer) => {
    // Chunks of odd sizes, so buffer boundaries fall inside them.
    for (let offset = 0; offset < data.length; offset += 777_777) {
      if (!stream.write(data.subarray(offset, offset + 777_777))) await once(stream, 'drain');
    }
    stream.end();
  };

  it('stores a part under the buffer size with one PutObject', async () => {
    requests.length = 0;
    const data = randomBytes(2 * MiB + 3);
    const part = target().open(0);
    await write(part.stream, data);
    expect(await part.done).toEqual({ index: 0, key: 'p/part-0.gz' });
    expect(requests).toEqual(['PutObjectCommand']);
    expect((await readObject(bucket.client, bucket.bucket, 'p/part-0.gz')).equals(data)).toBe(true);
  });

  it('stores a larger part as a multipart upload of whole buffers and the rest', async () => {
    requests.length = 0;
    const data = randomBytes(12 * MiB + 5);
    const part = target().open(1);
    await write(part.stream, data);
    await part.done;
    expect(requests).toEqual(['CreateMultipartUploadCommand', 'UploadPartCommand', 'UploadPartCommand', 'UploadPartCommand', 'CompleteMultipartUploadCommand']);
    expect((await readObject(bucket.client, bucket.bucket, 'p/part-1.gz')).equals(data)).toBe(true);
  });

  it('parts sharing one buffer take turns: the second waits until the first is stored', async () => {
    const slots = new UploadSlots(1, 5 * MiB);
    const shared = oneBufferS3PartFiles({
      client: bucket.client,
      bucket: bucket.bucket,
      keyFor: (i) => `p/shared-${i}.gz`,
      uploadPartSizeBytes: 5 * MiB,
      slots,
    });
    const first = shared.open(0);
    const second = shared.open(1);
    const a = randomBytes(MiB);
    const b = randomBytes(MiB);
    await new Promise<void>((resolve) => first.stream.write(a, () => resolve()));
    let secondTaken = false;
    const secondWritten = new Promise<void>((resolve) =>
      second.stream.write(b, () => {
        secondTaken = true;
        resolve();
      }),
    );
    // Let every pending callback run: the second part must still be waiting for the buffer.
    await new Promise((resolve) => setImmediate(resolve));
    expect(secondTaken).toBe(false);
    first.stream.end();
    await first.done;
    await secondWritten;
    second.stream.end();
    await second.done;
    expect((await readObject(bucket.client, bucket.bucket, 'p/shared-0.gz')).equals(a)).toBe(true);
    expect((await readObject(bucket.client, bucket.bucket, 'p/shared-1.gz')).equals(b)).toBe(true);
  });

  it('an abort midway removes the multipart upload and stores nothing', async () => {
    const part = target().open(2);
    // The write's callback comes once its bytes are taken: the first full buffer has gone up.
    await new Promise<void>((resolve, reject) => part.stream.write(randomBytes(6 * MiB), (error) => (error ? reject(error) : resolve())));
    expect(await openMultipartUploads(bucket.client, bucket.bucket)).toEqual(['p/part-2.gz']);
    await part.abort();
    await expect(part.done).rejects.toThrow(/upload of p\/part-2\.gz aborted/);
    expect(await openMultipartUploads(bucket.client, bucket.bucket)).toEqual([]);
    expect(await listKeys(bucket.client, bucket.bucket, 'p/part-2')).toEqual([]);
  });
});
