// s3rver writes objects and multipart parts through a file stream it gives no error handler, so
// a full disk under the local S3 directory (ENOSPC) is an unhandled 'error' event that ends the
// whole process (the demo, the test run) instead of failing one request. These two store
// methods write the same files, with the same size and MD5 s3rver records, but turn a write
// error into an S3 InternalError (HTTP 500) whose message says what happened and where, so the
// upload fails like any S3 failure: pgshift aborts the attempt and keeps the published batch.
// A multipart upload the disk fills up while it is being created is removed again: its client
// never learns its id, so nothing could abort it, and it would be listed with an empty key.

import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

interface StoredObject {
  readonly bucket: string;
  readonly key: string;
  readonly content: Buffer | Readable;
  readonly metadata: Record<string, string>;
}

interface FilesystemStore {
  getResourcePath(bucket: string, key: string | undefined, resource: string): string;
  putMetadata(bucket: string, key: string, metadata: Record<string, string>, md5: string): Promise<void>;
  putObject(object: StoredObject): Promise<{ size: number; md5: string }>;
  putPart(bucket: string, uploadId: string, partNumber: number, content: Readable): Promise<{ size: number; md5: string }>;
  initiateUpload(bucket: string, key: string, uploadId: string, metadata: Record<string, string>): Promise<void>;
}

type S3ErrorClass = new (code: string, message: string) => Error;

export function handleDiskErrors(store: FilesystemStore, directory: string): void {
  const S3Error = createRequire(import.meta.url)('s3rver/lib/models/error.js') as S3ErrorClass;
  const diskFull = (error: unknown): Error => {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOSPC' || code === 'EDQUOT') {
      return new S3Error('InternalError', `the local S3 storage under ${directory} is full (${code}); free disk space there, then run again`);
    }
    return error as Error;
  };
  const write = async (file: string, content: Buffer | Readable): Promise<{ size: number; md5: string }> => {
    await mkdir(path.dirname(file), { recursive: true });
    const md5 = createHash('md5');
    let size = 0;
    const measure = new Transform({
      transform(chunk: Buffer, _encoding, callback) {
        md5.update(chunk);
        size += chunk.length;
        callback(null, chunk);
      },
    });
    try {
      const source = Buffer.isBuffer(content) ? [content] : content;
      await pipeline(source, measure, createWriteStream(file));
    } catch (error) {
      throw diskFull(error);
    }
    return { size, md5: md5.digest('hex') };
  };

  store.putObject = async (object) => {
    const written = await write(store.getResourcePath(object.bucket, object.key, 'object'), object.content);
    await store.putMetadata(object.bucket, object.key, object.metadata, written.md5);
    return written;
  };
  const initiateUpload = store.initiateUpload.bind(store);
  store.initiateUpload = async (bucket, key, uploadId, metadata) => {
    try {
      await initiateUpload(bucket, key, uploadId, metadata);
    } catch (error) {
      // Whatever the removal meets (a write still finishing), the answer is the disk's error.
      await rm(path.join(store.getResourcePath(bucket, undefined, 'uploads'), uploadId), { recursive: true, force: true, maxRetries: 2 }).catch(
        () => undefined,
      );
      throw diskFull(error);
    }
  };
  store.putPart = async (bucket, uploadId, partNumber, content) => {
    const file = path.join(store.getResourcePath(bucket, undefined, 'uploads'), uploadId, String(partNumber));
    const written = await write(file, content);
    await write(`${file}.md5`, Buffer.from(written.md5));
    return written;
  };
}
