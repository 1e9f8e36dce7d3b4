// The fault-injecting proxy the fault suite and the retry tests put between pgshift and S3:
// what it promises (seeded faults, outages) is checked here, so a test that passes through it
// really met the faults it claims.

import { GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFaultyS3Proxy } from '../support/faulty-s3-proxy.js';
import { createTestBucket, testS3Endpoint, type TestBucket } from '../support/test-env.js';

function clientThrough(endpoint: string, maxAttempts: number): S3Client {
  return new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    maxAttempts,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
}

async function tryPuts(client: S3Client, bucket: string, count: number): Promise<{ ok: number; failed: number }> {
  let ok = 0;
  let failed = 0;
  for (let i = 0; i < count; i += 1) {
    try {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: `probe/${i}`, Body: `object ${i}` }));
      ok += 1;
    } catch {
      failed += 1;
    }
  }
  return { ok, failed };
}

describe('the faulty S3 proxy', () => {
  let bucket: TestBucket;
  beforeAll(async () => {
    bucket = await createTestBucket('proxy');
  });
  afterAll(async () => {
    await bucket.drop();
  });

  it('forwards everything when no fault is asked for', async () => {
    const proxy = await startFaultyS3Proxy({ upstream: testS3Endpoint(), seed: 1, errorRate: 0, resetRate: 0 });
    const client = clientThrough(proxy.endpoint, 1);
    try {
      await client.send(new PutObjectCommand({ Bucket: bucket.bucket, Key: 'plain', Body: 'through the proxy' }));
      const object = await client.send(new GetObjectCommand({ Bucket: bucket.bucket, Key: 'plain' }));
      expect(await object.Body!.transformToString()).toBe('through the proxy');
      expect(proxy.stats()).toEqual({ requests: 2, errors: 0, resets: 0 });
    } finally {
      client.destroy();
      await proxy.close();
    }
  });

  it('answers errors and resets connections in the same seeded sequence every time', async () => {
    const outcomes: { ok: number; failed: number; errors: number; resets: number }[] = [];
    for (let trial = 0; trial < 2; trial += 1) {
      const proxy = await startFaultyS3Proxy({ upstream: testS3Endpoint(), seed: 42, errorRate: 0.2, resetRate: 0.05 });
      const client = clientThrough(proxy.endpoint, 1);
      try {
        const { ok, failed } = await tryPuts(client, bucket.bucket, 60);
        outcomes.push({ ok, failed, errors: proxy.stats().errors, resets: proxy.stats().resets });
      } finally {
        client.destroy();
        await proxy.close();
      }
    }
    expect(outcomes[0]!.errors).toBeGreaterThan(0);
    expect(outcomes[0]!.resets).toBeGreaterThan(0);
    // Without retries, every injected fault is a failed request.
    expect(outcomes[0]!.failed).toBe(outcomes[0]!.errors + outcomes[0]!.resets);
    expect(outcomes[1]).toEqual(outcomes[0]);
  });

  it('refuses every connection while down and forwards again once back up', async () => {
    const proxy = await startFaultyS3Proxy({ upstream: testS3Endpoint(), seed: 7, errorRate: 0, resetRate: 0 });
    const client = clientThrough(proxy.endpoint, 1);
    try {
      proxy.setDown(true);
      await expect(client.send(new PutObjectCommand({ Bucket: bucket.bucket, Key: 'during-outage', Body: 'x' }))).rejects.toThrow();
      proxy.setDown(false);
      await client.send(new PutObjectCommand({ Bucket: bucket.bucket, Key: 'after-outage', Body: 'y' }));
    } finally {
      client.destroy();
      await proxy.close();
    }
  });
});
