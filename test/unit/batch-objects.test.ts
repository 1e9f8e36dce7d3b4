// DeleteObjects answers 200 even when it deleted nothing: the per-key Errors must surface.
// And the loader's rule for which attempt a manifest publishes.

import type { S3Client } from '@aws-sdk/client-s3';
import { describe, expect, it } from 'vitest';
import { attemptOfManifest, batchLocation } from '../../src/batch/batch-layout.js';
import { ExtractError } from '../../src/errors.js';
import { deleteKeysChecked } from '../../src/extract/batch-objects.js';

/** An S3Client whose DeleteObjects replies `reply`, recording what it was asked. */
function deletingClient(reply: object): { client: S3Client; asked: string[][] } {
  const asked: string[][] = [];
  const client = {
    send: async (command: { input: { Delete: { Objects: { Key: string }[] } } }) => {
      asked.push(command.input.Delete.Objects.map((object) => object.Key));
      return reply;
    },
  } as unknown as S3Client;
  return { client, asked };
}

describe('deleteKeysChecked', () => {
  it('names the keys S3 failed to delete and what to do', async () => {
    const { client } = deletingClient({
      Errors: [
        { Key: 'b/shop/orders/2026-11-23/old/part-00000.csv.gz', Code: 'AccessDenied', Message: 'Access Denied' },
        { Key: 'b/shop/orders/2026-11-23/old/batch.json', Code: 'AccessDenied', Message: 'Access Denied' },
      ],
    });
    const failing = deleteKeysChecked(
      client,
      'bkt',
      ['b/shop/orders/2026-11-23/old/part-00000.csv.gz', 'b/shop/orders/2026-11-23/old/batch.json'],
      'shop.orders',
      'of a failed attempt',
    );
    await expect(failing).rejects.toBeInstanceOf(ExtractError);
    await expect(failing).rejects.toThrow(
      "shop.orders: S3 did not delete 2 object(s) of a failed attempt: s3://bkt/b/shop/orders/2026-11-23/old/part-00000.csv.gz (AccessDenied: Access Denied), s3://bkt/b/shop/orders/2026-11-23/old/batch.json (AccessDenied: Access Denied); check the credentials' s3:DeleteObject permission on the bucket, then delete them or run the extract again",
    );
  });

  it('sends at most 1,000 keys a request and accepts a reply without Errors', async () => {
    const { client, asked } = deletingClient({});
    const keys = Array.from({ length: 2001 }, (_, i) => `k${i}`);
    await deleteKeysChecked(client, 'bkt', keys, 'shop.orders', 'x');
    expect(asked.map((chunk) => chunk.length)).toEqual([1000, 1000, 1]);
  });
});

describe('attemptOfManifest', () => {
  const location = batchLocation({ bucket: 'bkt', prefix: 'p' }, 'shop', 'orders', '2026-11-23');
  const url = (rest: string) => `s3://bkt/p/shop/orders/2026-11-23/${rest}`;

  it('finds the attempt folder every entry shares', () => {
    expect(attemptOfManifest(location, [url('A1/part-00000.csv.gz'), url('A1/part-00001.csv.gz')])?.batchKey).toBe('p/shop/orders/2026-11-23/A1/batch.json');
  });

  it('reads the older layout, parts directly in the batch folder', () => {
    expect(attemptOfManifest(location, [url('part-00000.csv.gz')])?.batchKey).toBe('p/shop/orders/2026-11-23/batch.json');
  });

  it('refuses entries of two attempts, deeper folders or another batch', () => {
    expect(attemptOfManifest(location, [url('A1/part-00000.csv.gz'), url('A2/part-00001.csv.gz')])).toBeUndefined();
    expect(attemptOfManifest(location, [url('A1/x/part-00000.csv.gz')])).toBeUndefined();
    expect(attemptOfManifest(location, ['s3://bkt/p/shop/orders/2026-11-24/A1/part-00000.csv.gz'])).toBeUndefined();
    expect(attemptOfManifest(location, [])).toBeUndefined();
  });
});
