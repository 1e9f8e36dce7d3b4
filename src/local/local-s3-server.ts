// A real S3 endpoint on loopback (s3rver, files under .pgshift/s3) for the demo and the tests,
// reached through the AWS SDK exactly like Amazon S3.

import { mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import S3rver from 's3rver';
import { handleDiskErrors } from './s3rver-disk-errors.js';
import { multipartListingMiddleware } from './s3rver-multipart-listing.js';

export interface LocalS3Server {
  readonly endpoint: string;
  close(): Promise<void>;
}

export interface LocalS3Options {
  directory: string;
  port?: number;
  buckets?: string[];
}

export async function startLocalS3Server(options: LocalS3Options): Promise<LocalS3Server> {
  await mkdir(options.directory, { recursive: true });
  const server = new S3rver({
    address: '127.0.0.1',
    port: options.port ?? 0,
    silent: true,
    directory: options.directory,
    configureBuckets: (options.buckets ?? []).map((name) => ({ name, configs: [] })),
  });
  handleDiskErrors((server as unknown as { store: Parameters<typeof handleDiskErrors>[0] }).store, options.directory);
  // Insert just before s3rver's router so the added operations see a parsed path and query.
  const middleware = (server as unknown as { middleware: unknown[] }).middleware;
  middleware.splice(middleware.length - 1, 0, multipartListingMiddleware());
  const address = (await server.run()) as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    close: () => server.close(),
  };
}
