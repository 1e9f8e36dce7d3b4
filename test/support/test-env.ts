// What a test needs to reach the shared servers: fresh databases and buckets of its own,
// dropped when the test is done.

import { randomBytes } from 'node:crypto';
import { CreateBucketCommand, DeleteBucketCommand, DeleteObjectsCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { inject } from 'vitest';
import { getS3Conn } from '../../src/connections.js';
import { databaseUrl, dropDatabase, ensureDatabase } from '../../src/local/local-postgres.js';

export function testPostgresUrl(database?: string): string {
  const admin = inject('pgAdminUrl');
  return database ? databaseUrl(admin, database) : admin;
}

export function testS3Endpoint(): string {
  return inject('s3Endpoint');
}

function uniqueName(prefix: string): string {
  return `${prefix.toLowerCase().replace(/[^a-z0-9]+/g, '_')}_${randomBytes(4).toString('hex')}`;
}

export interface TestDatabase {
  readonly name: string;
  readonly url: string;
  drop(): Promise<void>;
}

export async function createTestDatabase(prefix: string): Promise<TestDatabase> {
  const name = uniqueName(`pgshift_test_${prefix}`);
  const url = await ensureDatabase(testPostgresUrl(), name, { recreate: true });
  return { name, url, drop: () => dropDatabase(testPostgresUrl(), name) };
}

export interface TestBucket {
  readonly bucket: string;
  readonly client: S3Client;
  drop(): Promise<void>;
}

export async function createTestBucket(prefix: string): Promise<TestBucket> {
  const bucket = uniqueName(prefix).replaceAll('_', '-');
  const client = getS3Conn({ endpoint: testS3Endpoint() });
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  return {
    bucket,
    client,
    drop: async () => {
      await emptyBucket(client, bucket);
      await client.send(new DeleteBucketCommand({ Bucket: bucket }));
      client.destroy();
    },
  };
}

async function emptyBucket(client: S3Client, bucket: string): Promise<void> {
  for (;;) {
    const page = await client.send(new ListObjectsV2Command({ Bucket: bucket }));
    const keys = (page.Contents ?? []).map((object) => ({ Key: object.Key! }));
    if (keys.length === 0) return;
    await client.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys } }));
  }
}
