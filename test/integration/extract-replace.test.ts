// A batch in S3 is replaced atomically: a failed extract (bad config, no connection, S3 outage
// mid-upload) leaves the interval's published batch byte-for-byte as it was and loadable, a good
// one replaces it and removes the old attempt, and incomplete multipart uploads left by a dead
// run are aborted by the next one. The S3 client's retries carry an extract through a flaky network.

import { CreateMultipartUploadCommand, PutObjectCommand, type S3Client, UploadPartCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intervalFromFlags } from '../../src/batch/interval.js';
import { getPostgresConn, getS3Conn } from '../../src/connections.js';
import { ExtractError } from '../../src/errors.js';
import { acquireTableExtractLock } from '../../src/extract/table-extract-lock.js';
import { extractTableToS3, type ExtractContext } from '../../src/extract/extract-table.js';
import { loadTableBatch } from '../../src/load/load-batch.js';
import { startFaultyS3Proxy } from '../support/faulty-s3-proxy.js';
import { createLoadFixture, type LoadFixture } from '../support/load-fixture.js';
import { listKeys, openMultipartUploads, readObject } from '../support/s3-objects.js';
import { testPostgresUrl, testS3Endpoint } from '../support/test-env.js';

const day = intervalFromFlags({ date: '2026-11-23' });
const TABLES = `      orders: { primary_key: id, cursor: updated_at }
      wide: { primary_key: id, cursor: updated_at, slices: 1 }`;

describe('replacing a batch in S3', () => {
  let fx: LoadFixture;

  beforeAll(async () => {
    fx = await createLoadFixture('replace');
    await fx.source.query(`
      create table orders (id int primary key, status text, updated_at timestamptz not null);
      create index on orders (updated_at);
      insert into orders select g, 'new', '2026-11-23 10:00:00+00' from generate_series(1, 500) g;
      -- Incompressible enough that a part passes S3's 5 MB multipart threshold mid-stream.
      create table wide (id int primary key, payload text, updated_at timestamptz not null default '2026-11-23 10:00:00+00');
      create index on wide (updated_at);
      insert into wide (id, payload) select g, md5(g::text) || md5((g + 1)::text) || md5((g + 2)::text) || md5((g + 3)::text) from generate_series(1, 300000) g;`);
    fx.useTables(TABLES);
  });
  afterAll(async () => fx?.close());

  const context = (overrides: Partial<ExtractContext> = {}): ExtractContext => ({
    source: fx.source,
    s3: fx.bucket.client,
    staging: fx.project.staging,
    ...overrides,
  });
  const load = (id: string, s3: S3Client = fx.bucket.client) =>
    loadTableBatch(fx.table(id), day, { warehouse: fx.warehouse, s3, staging: fx.project.staging, rawSchema: fx.project.rawSchema });
  /** Every object under the table's prefix with its bytes. */
  const snapshot = async (table: string): Promise<Record<string, string>> => {
    const objects: Record<string, string> = {};
    for (const key of await listKeys(fx.bucket.client, fx.bucket.bucket, `batches/shop/${table}/`))
      objects[key] = (await readObject(fx.bucket.client, fx.bucket.bucket, key)).toString('base64');
    return objects;
  };
  const brokenSource = (url: string) => {
    const pool = getPostgresConn({ connectionString: url });
    return { pool, connector: { connect: () => pool.connect() } };
  };

  describe('a failure before any data is written touches nothing', () => {
    let before: Record<string, string>;
    beforeAll(async () => {
      fx.useTables(TABLES);
      await extractTableToS3(fx.table('shop.orders'), day, context());
      before = await snapshot('orders');
      expect(Object.keys(before)).toHaveLength(3);
    });

    it('a typo in cursor:', async () => {
      fx.useTables(TABLES.replace('cursor: updated_at }', 'cursor: updatd_at }'));
      await expect(extractTableToS3(fx.table('shop.orders'), day, context())).rejects.toThrow(/updatd_at/);
      fx.useTables(TABLES);
      expect(await snapshot('orders')).toEqual(before);
      expect((await load('shop.orders')).rows).toBe(500);
    });

    it('a role the source does not know (wrong credentials)', async () => {
      // The same server under a role it does not know (the URL may carry a password: embedded PostgreSQL).
      const wrong = new URL(testPostgresUrl());
      wrong.username = 'no_such_role';
      wrong.password = 'wrong';
      const { pool, connector } = brokenSource(wrong.toString());
      try {
        await expect(extractTableToS3(fx.table('shop.orders'), day, context({ source: connector }))).rejects.toThrow(
          /^shop\.orders: extract failed during connect: .*no_such_role/,
        );
      } finally {
        await pool.end();
      }
      expect(await snapshot('orders')).toEqual(before);
      expect((await load('shop.orders')).rows).toBe(500);
    });

    it('a closed port', async () => {
      const { pool, connector } = brokenSource('postgres://postgres@127.0.0.1:1/postgres');
      try {
        await expect(extractTableToS3(fx.table('shop.orders'), day, context({ source: connector }))).rejects.toThrow(
          /^shop\.orders: extract failed during connect: .*ECONNREFUSED/,
        );
      } finally {
        await pool.end();
      }
      expect(await snapshot('orders')).toEqual(before);
      expect((await load('shop.orders')).rows).toBe(500);
    });

    it('another extract of the same table holds the lock', async () => {
      const holder = await fx.source.connect();
      try {
        const key = `s3://${fx.bucket.bucket}/batches/shop/orders/`;
        // The lock another extract of the table would hold, taken here through the same module.
        await acquireTableExtractLock(holder, key, 'shop.orders');
        await expect(extractTableToS3(fx.table('shop.orders'), day, context())).rejects.toThrow(
          `shop.orders: another pgshift extract of this table is running (it holds the source's advisory lock for ${key}); wait for it to finish, then run again`,
        );
        // Another table is not blocked by it.
        await extractTableToS3(fx.table('shop.wide'), day, context());
      } finally {
        await holder.query('select pg_advisory_unlock_all()');
        holder.release();
      }
      expect(await snapshot('orders')).toEqual(before);
    });
  });

  it('a re-extract replaces the batch: the old attempt is gone and the new one loads', async () => {
    const first = await extractTableToS3(fx.table('shop.orders'), day, context());
    await fx.source.query(`insert into orders values (501, 'late', '2026-11-23 11:00:00+00')`);
    try {
      const second = await extractTableToS3(fx.table('shop.orders'), day, context());
      expect(second.attempt.id > first.attempt.id).toBe(true);
      expect(await listKeys(fx.bucket.client, fx.bucket.bucket, 'batches/shop/orders/')).toEqual([
        `${second.attempt.prefix}batch.json`,
        `${second.attempt.prefix}part-00000.csv.gz`,
        'batches/shop/orders/2026-11-23/manifest.json',
      ]);
      expect((await load('shop.orders')).rows).toBe(501);
    } finally {
      await fx.source.query('delete from orders where id = 501');
    }
  });

  it('a batch of the older layout (parts beside the manifest) loads, and a re-extract replaces it', async () => {
    const result = await extractTableToS3(fx.table('shop.orders'), day, context());
    const flat = 'batches/shop/orders/2026-11-23/';
    const { client, bucket } = fx.bucket;
    // Rewrite the batch as the older layout wrote it, with no attempt folder.
    const batch = JSON.parse((await readObject(client, bucket, result.attempt.batchKey)).toString()) as { parts: { key: string; bytes: number }[] };
    batch.parts = batch.parts.map((part) => ({ ...part, key: part.key.replace(result.attempt.prefix, flat) }));
    for (const part of result.document.parts)
      await client.send(
        new PutObjectCommand({ Bucket: bucket, Key: part.key.replace(result.attempt.prefix, flat), Body: await readObject(client, bucket, part.key) }),
      );
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: `${flat}batch.json`, Body: JSON.stringify(batch) }));
    const manifest = { entries: batch.parts.map((part) => ({ url: `s3://${bucket}/${part.key}`, mandatory: true, meta: { content_length: part.bytes } })) };
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: `${flat}manifest.json`, Body: JSON.stringify(manifest) }));
    for (const key of await listKeys(client, bucket, result.attempt.prefix))
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: 'garbage that must not be read' }));
    expect((await load('shop.orders')).rows).toBe(500);

    const next = await extractTableToS3(fx.table('shop.orders'), day, context());
    expect(await listKeys(client, bucket, 'batches/shop/orders/')).toEqual([
      `${next.attempt.prefix}batch.json`,
      `${next.attempt.prefix}part-00000.csv.gz`,
      `${flat}manifest.json`,
    ]);
    expect((await load('shop.orders')).rows).toBe(500);
  });

  it("aborts the incomplete multipart uploads a dead run left under the table's prefix, and only those", async () => {
    const { client, bucket } = fx.bucket;
    const leftover = await client.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'batches/shop/orders/2026-11-23/dead/part-00000.csv.gz' }));
    await client.send(
      new UploadPartCommand({
        Bucket: bucket,
        Key: 'batches/shop/orders/2026-11-23/dead/part-00000.csv.gz',
        UploadId: leftover.UploadId,
        PartNumber: 1,
        Body: 'x',
      }),
    );
    await client.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: 'batches/shop/orders_archive/2026-11-23/other.csv.gz' }));
    await extractTableToS3(fx.table('shop.orders'), day, context());
    expect(await openMultipartUploads(client, bucket)).toEqual(['batches/shop/orders_archive/2026-11-23/other.csv.gz']);
  });

  it('an S3 outage mid-upload keeps the published batch; the next run completes and leaves no upload open', async () => {
    const staging = { ...fx.project.staging, partSizeBytes: 64 * 1024 * 1024 };
    await extractTableToS3(fx.table('shop.wide'), day, context({ staging }));
    const before = await snapshot('wide');
    const proxy = await startFaultyS3Proxy({ upstream: testS3Endpoint(), seed: 1, errorRate: 0, resetRate: 0 });
    const throughProxy = getS3Conn({ endpoint: proxy.endpoint, maxAttempts: 2, connectTimeoutMs: 2_000 });
    try {
      const failing = extractTableToS3(fx.table('shop.wide'), day, {
        ...context({ staging, s3: throughProxy }),
        onStreaming: (live) => {
          const timer = setInterval(async () => {
            // Past 6 MB compressed the part is a multipart upload with a part already sent.
            if (live.bytesOut() > 6_000_000 && (await openMultipartUploads(fx.bucket.client, fx.bucket.bucket)).length > 0) {
              clearInterval(timer);
              proxy.setDown(true);
            }
          }, 2);
        },
      });
      await expect(failing).rejects.toBeInstanceOf(ExtractError);
      await expect(failing).rejects.toThrow(
        new RegExp(
          `^shop\\.wide: extract failed during upload \\(s3://${fx.bucket.bucket}/batches/shop/wide/2026-11-23/ via ${proxy.endpoint.replace(/\/$/, '')}\\)`,
        ),
      );
      // The outage kept the extract from aborting its own upload: a dead run's leftover.
      expect(await openMultipartUploads(fx.bucket.client, fx.bucket.bucket)).toContainEqual(expect.stringMatching(/^batches\/shop\/wide\//));
      expect(await snapshot('wide')).toEqual(before);
      expect((await load('shop.wide')).rows).toBe(300_000);

      proxy.setDown(false);
      await extractTableToS3(fx.table('shop.wide'), day, context({ staging, s3: throughProxy }));
      expect((await openMultipartUploads(fx.bucket.client, fx.bucket.bucket)).filter((key) => key.startsWith('batches/shop/wide/'))).toEqual([]);
      expect((await load('shop.wide')).rows).toBe(300_000);
    } finally {
      throughProxy.destroy();
      await proxy.close();
    }
  });

  describe('through a network answering 20% of S3 requests with 500/503 and resetting 5%', () => {
    // Small parts make many requests (a multipart upload per part), so faults are sure to hit.
    const staging = () => ({ ...fx.project.staging, partSizeBytes: 1024 * 1024 });

    it.each([1, 2, 3, 4, 5])('seed %i: the SDK retries carry the extract through, with every row', async (seed) => {
      const proxy = await startFaultyS3Proxy({ upstream: testS3Endpoint(), seed, errorRate: 0.2, resetRate: 0.05 });
      const s3 = getS3Conn({ endpoint: proxy.endpoint });
      try {
        const result = await extractTableToS3(fx.table('shop.wide'), day, context({ staging: staging(), s3 }));
        expect(result.rows).toBe(300_000);
        expect(result.parts).toBeGreaterThan(3);
        const { errors, resets } = proxy.stats();
        expect(errors + resets).toBeGreaterThan(0);
        expect((await load('shop.wide', s3)).rows).toBe(300_000);
      } finally {
        s3.destroy();
        await proxy.close();
      }
    });

    it.each([6, 7])('seed %i: a multipart upload whose chunks meet the faults completes, with every row', async (seed) => {
      const proxy = await startFaultyS3Proxy({ upstream: testS3Endpoint(), seed, errorRate: 0.2, resetRate: 0.05 });
      const s3 = getS3Conn({ endpoint: proxy.endpoint });
      try {
        // One part of about 8 MB compressed, past the 5 MB chunk: CreateMultipartUpload, two UploadParts, Complete.
        const result = await extractTableToS3(fx.table('shop.wide'), day, context({ staging: { ...fx.project.staging, partSizeBytes: 64 * 1024 * 1024 }, s3 }));
        expect(result.parts).toBe(1);
        expect(result.bytesOut).toBeGreaterThan(5 * 1024 * 1024);
        const { errors, resets } = proxy.stats();
        expect(errors + resets).toBeGreaterThan(0);
        expect((await load('shop.wide', s3)).rows).toBe(300_000);
        expect((await openMultipartUploads(fx.bucket.client, fx.bucket.bucket)).filter((key) => key.startsWith('batches/shop/wide/'))).toEqual([]);
      } finally {
        s3.destroy();
        await proxy.close();
      }
    });

    it('with s3_max_attempts 1 the same network fails the extract, so the retry setting is what carries it', async () => {
      const proxy = await startFaultyS3Proxy({ upstream: testS3Endpoint(), seed: 1, errorRate: 0.2, resetRate: 0.05 });
      const s3 = getS3Conn({ endpoint: proxy.endpoint, maxAttempts: 1 });
      try {
        await expect(extractTableToS3(fx.table('shop.wide'), day, context({ staging: staging(), s3 }))).rejects.toThrow(
          /^shop\.wide: extract failed during upload/,
        );
      } finally {
        s3.destroy();
        await proxy.close();
      }
    });
  });
});
