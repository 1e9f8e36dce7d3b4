import { AbortMultipartUploadCommand, CreateMultipartUploadCommand, ListMultipartUploadsCommand } from '@aws-sdk/client-s3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestBucket, createTestDatabase, type TestBucket, type TestDatabase } from '../support/test-env.js';

describe('the local stack', () => {
  let database: TestDatabase;
  let bucket: TestBucket;
  beforeAll(async () => {
    database = await createTestDatabase('local_stack');
    bucket = await createTestBucket('local-stack');
  });
  afterAll(async () => {
    await database.drop();
    await bucket.drop();
  });

  it('gives each test a PostgreSQL database of its own, reached over TCP', async () => {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    const { rows } = await client.query('select current_database() as name, inet_server_addr() is not null as tcp');
    await client.end();
    expect(rows[0]).toEqual({ name: database.name, tcp: true });
  });

  it('lists and aborts multipart uploads on the local S3 server', async () => {
    const { UploadId } = await bucket.client.send(new CreateMultipartUploadCommand({ Bucket: bucket.bucket, Key: 'a/part-00000.csv.gz' }));
    const listed = await bucket.client.send(new ListMultipartUploadsCommand({ Bucket: bucket.bucket }));
    expect(listed.Uploads?.map((upload) => upload.Key)).toEqual(['a/part-00000.csv.gz']);

    await bucket.client.send(new AbortMultipartUploadCommand({ Bucket: bucket.bucket, Key: 'a/part-00000.csv.gz', UploadId }));
    const after = await bucket.client.send(new ListMultipartUploadsCommand({ Bucket: bucket.bucket }));
    expect(after.Uploads ?? []).toEqual([]);
  });
});
