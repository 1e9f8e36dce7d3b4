// A full disk under the local S3 server's directory fails the upload with a line that says so,
// instead of ending the process (s3rver's own file writes have no error handler), and the
// interval's published batch stays complete. A small tmpfs is the full disk, so
// this runs where the test may mount one (root on Linux, as CI); elsewhere it is skipped.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intervalFromFlags } from '../../src/batch/interval.js';
import { getS3Conn } from '../../src/connections.js';
import { extractTableToS3 } from '../../src/extract/extract-table.js';
import { startLocalS3Server, type LocalS3Server } from '../../src/local/local-s3-server.js';
import { createLoadFixture, type LoadFixture } from '../support/load-fixture.js';
import { listKeys, openMultipartUploads, readObject } from '../support/s3-objects.js';

const day = intervalFromFlags({ date: '2026-11-23' });
const TABLES = '      bulky: { primary_key: id, cursor: updated_at }';

function mountSmallDisk(bytes: string): string | undefined {
  const dir = mkdtempSync(path.join(tmpdir(), 'pgshift-full-disk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${bytes}`, 'tmpfs', dir], { stdio: 'ignore' });
    return dir;
  } catch {
    rmSync(dir, { recursive: true, force: true });
    return undefined;
  }
}

const disk = mountSmallDisk('4m');

describe.runIf(disk !== undefined)('a full disk under the local S3 directory', () => {
  let fx: LoadFixture;
  let server: LocalS3Server;
  let s3: ReturnType<typeof getS3Conn>;

  beforeAll(async () => {
    fx = await createLoadFixture('diskfull');
    server = await startLocalS3Server({ directory: path.join(disk!, 's3'), buckets: [fx.bucket.bucket] });
    s3 = getS3Conn({ endpoint: server.endpoint });
    await fx.source.query(`
      create table bulky (id int primary key, payload text, updated_at timestamptz not null default '2026-11-23 10:00:00+00');
      insert into bulky (id, payload) select g, md5(g::text) from generate_series(1, 10) g;`);
    fx.useTables(TABLES);
  });
  afterAll(async () => {
    s3?.destroy();
    await server?.close();
    await fx?.close();
    execFileSync('umount', [disk!]);
    rmSync(disk!, { recursive: true, force: true });
  });

  const snapshot = async (): Promise<Record<string, string>> => {
    const objects: Record<string, string> = {};
    for (const key of await listKeys(s3, fx.bucket.bucket, 'batches/shop/bulky/'))
      objects[key] = (await readObject(s3, fx.bucket.bucket, key)).toString('base64');
    return objects;
  };

  it('fails the extract naming the full storage; the published batch stays as it was', async () => {
    const context = { source: fx.source, s3, staging: fx.project.staging };
    await extractTableToS3(fx.table('shop.bulky'), day, context);
    const before = await snapshot();
    // Far more than the 4 MB disk holds, even gzipped: random hex barely compresses.
    await fx.source.query(
      `insert into bulky (id, payload) select g, md5(random()::text) || md5(random()::text) || md5(random()::text) || md5(random()::text) from generate_series(11, 200000) g`,
    );

    await expect(extractTableToS3(fx.table('shop.bulky'), day, context)).rejects.toThrow(
      /^shop\.bulky: extract failed during upload .*the local S3 storage under .* is full \(ENOSPC\); free disk space there, then run again/,
    );
    expect(await snapshot()).toEqual(before);
    expect(await openMultipartUploads(s3, fx.bucket.bucket)).toEqual([]);
    // Still the complete batch it was: its manifest lists parts that are all there.
    const manifest = JSON.parse((await readObject(s3, fx.bucket.bucket, 'batches/shop/bulky/2026-11-23/manifest.json')).toString()) as {
      entries: { url: string }[];
    };
    const keys = manifest.entries.map((entry) => entry.url.replace(`s3://${fx.bucket.bucket}/`, ''));
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) expect(Object.keys(before)).toContain(key);
  });
});
