// s3rver stores multipart uploads but answers neither ListMultipartUploads nor
// AbortMultipartUpload. Both matter to pgshift (a failed extract must abort its uploads, and
// tests prove none are left), so this Koa middleware adds them on top of s3rver's own store.

import { readdir, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';

interface KoaContext {
  method: string;
  path: string;
  query: Record<string, string | string[] | undefined>;
  status: number;
  body: unknown;
  store: { getResourcePath(bucket: string, key: string | undefined, resource: string): string };
}

type Next = () => Promise<unknown>;

export function multipartListingMiddleware() {
  return async (ctx: KoaContext, next: Next): Promise<unknown> => {
    const [bucket, ...keyParts] = ctx.path.replace(/^\/+|\/+$/g, '').split('/');
    if (!bucket) return next();
    const uploadsDir = ctx.store.getResourcePath(bucket, undefined, 'uploads');

    if (ctx.method === 'GET' && keyParts.length === 0 && 'uploads' in ctx.query) {
      ctx.body = { ListMultipartUploadsResult: await listUploads(bucket, uploadsDir, String(ctx.query.prefix ?? '')) };
      return undefined;
    }
    const uploadId = ctx.query.uploadId;
    if (ctx.method === 'DELETE' && keyParts.length > 0 && typeof uploadId === 'string') {
      if (!/^[A-Za-z0-9._-]+$/.test(uploadId)) {
        ctx.status = 400;
        return undefined;
      }
      const uploadDir = path.join(uploadsDir, uploadId);
      const exists = await stat(uploadDir).then(
        () => true,
        () => false,
      );
      if (!exists) {
        ctx.status = 404;
        ctx.body = { Error: { Code: 'NoSuchUpload', Message: 'The specified upload does not exist.', UploadId: uploadId } };
        return undefined;
      }
      await rm(uploadDir, { recursive: true, force: true });
      ctx.status = 204;
      return undefined;
    }
    return next();
  };
}

async function listUploads(bucket: string, uploadsDir: string, prefix: string) {
  const ids = await readdir(uploadsDir).catch(() => [] as string[]);
  const uploads = [];
  for (const uploadId of ids.sort()) {
    const key = await readFile(path.join(uploadsDir, uploadId, 'key'), 'utf8').catch(() => undefined);
    if (key === undefined || !key.startsWith(prefix)) continue;
    const initiated = (await stat(path.join(uploadsDir, uploadId))).birthtime.toISOString();
    uploads.push({ Key: key, UploadId: uploadId, Initiated: initiated, StorageClass: 'STANDARD' });
  }
  return { Bucket: bucket, KeyMarker: '', UploadIdMarker: '', Prefix: prefix, MaxUploads: 1000, IsTruncated: false, Upload: uploads };
}
