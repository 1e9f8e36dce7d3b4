import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseProject } from '../../src/config/load-project.js';
import type { Project, SourceTable } from '../../src/config/project.js';
import { getPostgresConn } from '../../src/connections.js';
import { ConfigError, ExtractError } from '../../src/errors.js';
import type { RedshiftManifest, BatchDocument } from '../../src/batch/batch-manifest.js';
import { extractTableToS3, type ExtractContext } from '../../src/extract/extract-table.js';
import { intervalFromFlags } from '../../src/batch/interval.js';
import { quoteIdent, quoteQualified } from '../../src/sql/quote-ident.js';
import { captureLogs } from '../support/capture-logs.js';
import { listKeys, openMultipartUploads, readGunzipped, readJson } from '../support/s3-objects.js';
import { createTestBucket, createTestDatabase, type TestBucket, type TestDatabase } from '../support/test-env.js';

const HOSTILE_SCHEMA = 'Shop "Live"; drop';
// Each names a real table, so an injection would show as a missing table, not a quiet error.
const HOSTILE_TABLE = 'Order Lines"; drop table products; --';
const HOSTILE_COLUMN = 'last_name"; drop table orders; --';

function projectYaml(bucket: string, tables: string): string {
  return `
name: extract_test
staging: { bucket: ${bucket}, prefix: batches, part_size_mb: 1, upload_part_size_mb: 5 }
targets: { dev: { type: postgres } }
sources:
  shop:
    schema: public
    tables:
${tables}
`;
}

describe('extractTableToS3', () => {
  let source: TestDatabase;
  let bucket: TestBucket;
  let pool: pg.Pool;
  let project: Project;
  const day = intervalFromFlags({ date: '2026-11-23' });

  const table = (id: string): SourceTable => project.tables.find((candidate) => candidate.id === id)!;
  const context = (overrides: Partial<ExtractContext> = {}): ExtractContext => ({
    source: pool,
    s3: bucket.client,
    staging: project.staging,
    ...overrides,
  });

  beforeAll(async () => {
    source = await createTestDatabase('extract');
    bucket = await createTestBucket('extract');
    pool = getPostgresConn({ connectionString: source.url });
    await pool.query(`
      create table orders (id bigint primary key, note text, amount numeric(12,2), updated_at timestamptz not null);
      create index on orders (updated_at);
      insert into orders values
        (1, 'plain', 10.50, '2026-11-23 00:00:00+00'),            -- exactly at start: in
        (2, '', 0, '2026-11-23 12:00:00+00'),                     -- empty string, not NULL
        (3, null, null, '2026-11-23 23:59:59.999999+00'),         -- NULLs
        (4, 'quote " comma , newline
second line \\ backslash \\N and CR' || chr(13) || ' done', 1, '2026-11-23 06:00:00+00'),
        (5, '🦄 ünïcödé 中文', 2, '2026-11-23 07:00:00+00'),
        (6, '\\N', 3, '2026-11-23 08:00:00+00'),                  -- the text \\N, not NULL
        (7, 'late', 4, '2026-11-22 23:30:00+00'),                 -- inside the 1h lookback
        (8, 'too early', 5, '2026-11-22 22:59:59+00'),            -- before the lookback
        (9, 'at end', 6, '2026-11-24 00:00:00+00');               -- exactly at end: out
      create table products (id int primary key, name text);
      insert into products select g, 'product ' || g from generate_series(1, 50) g;
      create table big (id int primary key, payload text, updated_at timestamptz not null);
      insert into big select g, md5(g::text) || repeat(chr(10) || '"x"', g % 3), '2026-11-23 10:00:00+00' from generate_series(1, 60000) g;
      -- Incompressible enough that a part passes S3's 5 MB multipart threshold mid-stream.
      create table wide (id int primary key, payload text, updated_at timestamptz not null default '2026-11-23 10:00:00+00');
      insert into wide (id, payload) select g, md5(g::text) || md5((g + 1)::text) || md5((g + 2)::text) || md5((g + 3)::text) from generate_series(1, 500000) g;
      -- A view that fails at row 120,000: a source error in the middle of the COPY.
      create view exploding as select id, payload, updated_at, case when id = 120000 then 1 / 0 else 1 end as boom from wide;
      create table unindexed (id int primary key, updated_at timestamptz);
      create table texty (id int primary key, label text);
      create table no_cursor (id int primary key);
      create table limits (id int primary key, note text, amount numeric, ratio numeric(10,2), small text);
      insert into limits values
        (1, 'fine', 1.5, 1, 'ab'),
        (2, repeat('é', 40000), 'NaN', 2, null),                     -- 80,000 bytes; NaN
        (3, '\\N', 1e30, 3, 'abcdé'),                               -- the text N; 31 integer digits
        (4, null, null, null, null);
      create table datelimits (id int primary key, at timestamptz, d date);
      insert into datelimits values (1, 'infinity', '2020-01-01'), (2, '2020-01-01 00:00:00+00', '0044-03-15 BC'), (3, '2026-11-23 10:00:00.5+00', '2026-11-23');
    `);
    await pool.query(`create schema ${quoteIdent(HOSTILE_SCHEMA)};
      create table ${quoteQualified(HOSTILE_SCHEMA, HOSTILE_TABLE)} (${quoteIdent('ID')} int primary key, ${quoteIdent(HOSTILE_COLUMN)} text, ${quoteIdent('Updated At')} timestamptz);
      insert into ${quoteQualified(HOSTILE_SCHEMA, HOSTILE_TABLE)} values (1, 'O''Brien', '2026-11-23 01:00:00+00');`);
    project = parseProject(
      projectYaml(
        bucket.bucket,
        `      orders: { primary_key: id, cursor: updated_at, lookback: 1h }
      products: { primary_key: id, mode: full }
      big: { primary_key: id, cursor: updated_at }
      unindexed: { primary_key: id, cursor: updated_at }
      # One COPY stream: these tests follow a single part through its multipart upload.
      wide: { primary_key: id, mode: full, slices: 1 }
      exploding: { primary_key: id, mode: full }
      texty: { primary_key: id, cursor: label }
      missing_table: { primary_key: id, mode: full }
      limits: { primary_key: id, mode: full }
      datelimits: { primary_key: id, mode: full }
      no_cursor: { primary_key: id, cursor: nope }`,
      ),
      'pgshift.yml',
    );
  });

  afterAll(async () => {
    await pool.end();
    await source.drop();
    await bucket.drop();
  });

  /** Loads every part of a batch into a scratch table shaped like the source plus metadata. */
  async function loadBack(document: BatchDocument, scratch: string, likeRelation: string): Promise<void> {
    await pool.query(
      `drop table if exists ${quoteIdent(scratch)}; create table ${quoteIdent(scratch)} (like ${likeRelation}); alter table ${quoteIdent(scratch)} add column _pgshift_batch_id text, add column _pgshift_extracted_at timestamptz`,
    );
    const client = await pool.connect();
    try {
      for (const part of document.parts) {
        const csv = await readGunzipped(bucket.client, bucket.bucket, part.key);
        await pipeline(Readable.from([csv]), client.query(copyFrom(`copy ${quoteIdent(scratch)} from stdin with (format csv, null '\\N')`)));
      }
    } finally {
      client.release();
    }
  }

  it('round-trips hostile text, NULLs and empty strings exactly (EXCEPT both ways)', async () => {
    const result = await extractTableToS3(table('shop.orders'), day, context());
    await loadBack(result.document, 'orders_back', 'orders');
    const expected = `select id, note, amount, updated_at from orders where updated_at >= '2026-11-22 23:00:00+00' and updated_at < '2026-11-24 00:00:00+00'`;
    const actual = 'select id, note, amount, updated_at from orders_back';
    const missing = await pool.query(`${expected} except ${actual}`);
    const extra = await pool.query(`${actual} except ${expected}`);
    expect(missing.rows).toEqual([]);
    expect(extra.rows).toEqual([]);
    const { rows } = await pool.query('select id, note from orders_back where id in (2, 3, 6) order by id');
    expect(rows).toEqual([
      { id: '2', note: '' },
      { id: '3', note: null },
      { id: '6', note: '\\N' },
    ]);
  });

  it('takes a row at exactly start, leaves a row at exactly end, and re-reads the lookback window', async () => {
    const result = await extractTableToS3(table('shop.orders'), day, context());
    await loadBack(result.document, 'orders_edges', 'orders');
    const { rows } = await pool.query('select id from orders_edges order by id');
    expect(rows.map((row) => Number(row.id))).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(result.rows).toBe(7);
    expect(result.document.window).toEqual({ start: '2026-11-22T23:00:00.000Z', end: '2026-11-24T00:00:00.000Z' });
  });

  it('writes parts and batch.json in an attempt folder, then the Redshift manifest beside it last', async () => {
    const result = await extractTableToS3(table('shop.orders'), day, context());
    expect(result.batchId).toBe('2026-11-23');
    expect(result.attempt.id).toMatch(/^\d{8}T\d{9}Z-[0-9a-f]{6}$/);
    const attempt = `batches/shop/orders/2026-11-23/${result.attempt.id}`;
    const keys = await listKeys(bucket.client, bucket.bucket, 'batches/shop/orders/2026-11-23/');
    expect(keys).toEqual([`${attempt}/batch.json`, `${attempt}/part-00000.csv.gz`, 'batches/shop/orders/2026-11-23/manifest.json']);
    const manifest = await readJson<RedshiftManifest>(bucket.client, bucket.bucket, result.location.manifestKey);
    expect(manifest.entries).toEqual([
      { url: `s3://${bucket.bucket}/${attempt}/part-00000.csv.gz`, mandatory: true, meta: { content_length: result.bytesOut } },
    ]);
    const batch = await readJson<BatchDocument>(bucket.client, bucket.bucket, result.attempt.batchKey);
    expect(batch.rows).toBe(7);
    expect(batch.columns.map((column) => [column.name, column.type])).toEqual([
      ['id', 'bigint'],
      ['note', 'text'],
      ['amount', 'numeric(12,2)'],
      ['updated_at', 'timestamp with time zone'],
    ]);
    expect(batch.cursor).toEqual({ column: 'updated_at', kind: 'timestamptz' });
    expect(batch.interval).toEqual({ start: '2026-11-23T00:00:00.000Z', end: '2026-11-24T00:00:00.000Z' });
  });

  it('copies every row of a full-mode table', async () => {
    const result = await extractTableToS3(table('shop.products'), day, context());
    expect(result.rows).toBe(50);
    expect(result.document.mode).toBe('full');
    expect(result.document.window).toBeUndefined();
  });

  it('rotates to a new part at a row boundary once a part holds part_size_mb compressed', async () => {
    const result = await extractTableToS3(table('shop.big'), day, context());
    expect(result.rows).toBe(60000);
    expect(result.parts).toBeGreaterThan(1);
    let rows = 0;
    for (const part of result.document.parts) {
      const csv = await readGunzipped(bucket.client, bucket.bucket, part.key);
      expect(csv.at(-1)).toBe(0x0a);
      rows += (await pool.query(`select count(*)::int as n from regexp_matches($1, '(^|\\n)\\d+,', 'g')`, [csv.toString()])).rows[0].n;
    }
    expect(rows).toBe(60000);
    await loadBack(result.document, 'big_back', 'big');
    const diff = await pool.query(
      '(select id, payload from big except select id, payload from big_back) union all (select id, payload from big_back except select id, payload from big)',
    );
    expect(diff.rowCount).toBe(0);
  });

  it('quotes hostile schema, table and column names and injects nothing', async () => {
    const hostile = parseProject(
      `name: t
staging: { bucket: ${bucket.bucket} }
targets: { dev: { type: postgres } }
sources:
  shop:
    schema: '${HOSTILE_SCHEMA}'
    tables:
      '${HOSTILE_TABLE.replaceAll("'", "''")}': { primary_key: ID, cursor: Updated At, columns: [ID, '${HOSTILE_COLUMN}', Updated At] }`,
      'pgshift.yml',
    ).tables[0]!;
    const result = await extractTableToS3(hostile, day, context());
    expect(result.rows).toBe(1);
    const csv = await readGunzipped(bucket.client, bucket.bucket, result.document.parts[0]!.key);
    expect(csv.toString()).toMatch(/^1,O'Brien,2026-11-23 01:00:00\.000000\+00:00,2026-11-23,/);
    const survivors = await pool.query(`select (select count(*)::int from products) as products, (select count(*)::int from orders) as orders`);
    expect(survivors.rows[0]).toEqual({ products: 50, orders: 9 });
  });

  describe('when the stream fails midway', () => {
    const largeParts = (): ExtractContext => context({ staging: { ...project.staging, partSizeBytes: 64 * 1024 * 1024 } });

    it('aborts the multipart uploads and keeps the previous batch on Ctrl-C', async () => {
      await extractTableToS3(table('shop.wide'), day, largeParts());
      const before = await listKeys(bucket.client, bucket.bucket, 'batches/shop/wide/');
      const controller = new AbortController();
      let uploadsWhenCancelled: string[] = [];
      const failing = extractTableToS3(table('shop.wide'), day, {
        ...largeParts(),
        signal: controller.signal,
        onStreaming: (live) => {
          const timer = setInterval(() => {
            // Past 6 MB compressed the part is a multipart upload with a part already sent.
            if (live.bytesOut() > 6_000_000) {
              clearInterval(timer);
              void openMultipartUploads(bucket.client, bucket.bucket).then((keys) => {
                uploadsWhenCancelled = keys;
                controller.abort();
              });
            }
          }, 2);
        },
      });
      await expect(failing).rejects.toThrow(/^shop\.wide: extract cancelled during copy; the interval's previous batch, if any, is unchanged$/);
      expect(uploadsWhenCancelled).toEqual([expect.stringMatching(/^batches\/shop\/wide\/2026-11-23\/[^/]+\/part-00000\.csv\.gz$/)]);
      expect(await openMultipartUploads(bucket.client, bucket.bucket)).toEqual([]);
      expect(await listKeys(bucket.client, bucket.bucket, 'batches/shop/wide/')).toEqual(before);
    });

    it('aborts the uploads and names table and phase when the source fails mid-COPY', async () => {
      const failing = extractTableToS3(table('shop.exploding'), day, largeParts());
      await expect(failing).rejects.toBeInstanceOf(ExtractError);
      await expect(failing).rejects.toThrow('shop.exploding: extract failed during copy: division by zero');
      expect(await openMultipartUploads(bucket.client, bucket.bucket)).toEqual([]);
      expect(await listKeys(bucket.client, bucket.bucket, 'batches/shop/exploding/')).toEqual([]);
    });
  });

  it('names the table and phase when S3 refuses the upload', async () => {
    const failing = extractTableToS3(table('shop.orders'), day, context({ staging: { ...project.staging, bucket: 'no-such-bucket' } }));
    await expect(failing).rejects.toBeInstanceOf(ExtractError);
    await expect(failing).rejects.toThrow(
      /^shop\.orders: extract failed during upload \(s3:\/\/no-such-bucket\/batches\/shop\/orders\/2026-11-23\/ via http:\/\/[^)]+\)/,
    );
    expect(await openMultipartUploads(bucket.client, bucket.bucket)).toEqual([]);
  });

  it('warns about an unindexed cursor but still extracts', async () => {
    const { result, lines } = await captureLogs(() => extractTableToS3(table('shop.unindexed'), day, context()));
    expect(result.rows).toBe(0);
    expect(result.document.parts).toHaveLength(1);
    expect(lines.filter((line) => line.level === 'warn')).toEqual([
      expect.objectContaining({ table: 'shop.unindexed', msg: expect.stringContaining("cursor column 'updated_at' leads no index") }),
    ]);
  });

  it('does not warn when the cursor leads an index', async () => {
    const { lines } = await captureLogs(() => extractTableToS3(table('shop.orders'), day, context()));
    expect(lines.filter((line) => line.level === 'warn')).toEqual([]);
  });

  describe('values Redshift cannot hold (extracting for a Redshift target)', () => {
    it('fails before uploading anything, naming table, column, problem and a primary key', async () => {
      const failure = (await extractTableToS3(table('shop.limits'), day, context({ valueLimits: 'redshift' })).catch(
        (error: unknown) => error,
      )) as ExtractError;
      expect(failure).toBeInstanceOf(ExtractError);
      expect(failure.message).toBe(
        'shop.limits: column note holds text over 65535 bytes in 1 row(s) (primary key id=2), which Redshift cannot load; fix the source, or set value_policy: null or truncate on sources.shop.tables.limits',
      );
      expect(failure.context).toMatchObject({ table: 'shop.limits', column: 'note', key: 'id=2' });
      expect(await listKeys(bucket.client, bucket.bucket, 'batches/shop/limits/')).toEqual([]);
      await expect(extractTableToS3(table('shop.orders'), day, context({ valueLimits: 'redshift' }))).rejects.toThrow(
        'column note holds the text \\N in 1 row(s) (primary key id=6)',
      );
    });

    it('null and truncate policies rewrite the values, record what they did in batch.json, and size text columns', async () => {
      const nulled = await extractTableToS3({ ...table('shop.limits'), valuePolicy: 'null' }, day, context({ valueLimits: 'redshift' }));
      expect(nulled.document.value_checks).toEqual({
        policy: 'null',
        findings: [
          { column: 'note', problem: 'text over 65535 bytes', rows: 1, example_key: 'id=2', action: 'set to NULL' },
          { column: 'note', problem: 'the text \\N', rows: 1, example_key: 'id=3', action: 'set to NULL' },
          { column: 'amount', problem: 'numeric NaN or infinity', rows: 1, example_key: 'id=2', action: 'set to NULL' },
          { column: 'amount', problem: 'numeric beyond 28 integer digits', rows: 1, example_key: 'id=3', action: 'set to NULL' },
        ],
      });
      expect(nulled.document.text_bytes).toEqual({ note: 80000, small: 6 });
      const csv = (await readGunzipped(bucket.client, bucket.bucket, nulled.document.parts[0]!.key)).toString();
      expect(
        csv
          .split('\n')
          .slice(0, 4)
          .map((line) => line.split(',').slice(0, 4).join(',')),
      ).toEqual(['1,fine,1.5,1.00', '2,\\N,\\N,2.00', '3,\\N,\\N,3.00', '4,\\N,\\N,\\N']);

      const truncated = await extractTableToS3({ ...table('shop.limits'), valuePolicy: 'truncate' }, day, context({ valueLimits: 'redshift' }));
      expect(truncated.document.value_checks?.findings[0]).toMatchObject({ column: 'note', action: 'truncated' });
      const lines = (await readGunzipped(bucket.client, bucket.bucket, truncated.document.parts[0]!.key)).toString().split('\n');
      expect(Buffer.byteLength(lines[1]!.split(',')[1]!)).toBeLessThanOrEqual(65535);
      expect(lines[1]!.split(',')[1]).toBe('é'.repeat(16383));
    });

    it('catches infinite and BC dates and times, and keeps timestamptz in its documented text under a policy', async () => {
      await expect(extractTableToS3(table('shop.datelimits'), day, context({ valueLimits: 'redshift' }))).rejects.toThrow(
        'shop.datelimits: column at holds an infinite or BC date/time in 1 row(s) (primary key id=1)',
      );
      const nulled = await extractTableToS3({ ...table('shop.datelimits'), valuePolicy: 'null' }, day, context({ valueLimits: 'redshift' }));
      expect(nulled.document.value_checks?.findings.map((finding) => `${finding.column}:${finding.example_key}`)).toEqual(['at:id=1', 'd:id=2']);
      const lines = (await readGunzipped(bucket.client, bucket.bucket, nulled.document.parts[0]!.key)).toString().split('\n');
      expect(lines.slice(0, 3).map((line) => line.split(',').slice(0, 3).join(','))).toEqual([
        '1,\\N,2020-01-01',
        '2,2020-01-01 00:00:00.000000+00:00,\\N',
        '3,2026-11-23 10:00:00.500000+00:00,2026-11-23',
      ]);
    });

    it('checks nothing and records nothing for other targets', async () => {
      const result = await extractTableToS3(table('shop.limits'), day, context());
      expect(result.document.value_checks).toBeUndefined();
      expect(result.document.text_bytes).toBeUndefined();
    });
  });

  it('explains a missing table, a missing cursor column and a cursor of the wrong type', async () => {
    await expect(extractTableToS3(table('shop.missing_table'), day, context())).rejects.toThrow(
      'shop.missing_table: table public.missing_table does not exist in the source database; check sources.shop.tables.missing_table in pgshift.yml',
    );
    const noCursor = extractTableToS3(table('shop.no_cursor'), day, context());
    await expect(noCursor).rejects.toBeInstanceOf(ConfigError);
    await expect(noCursor).rejects.toThrow(/^sources\.shop\.tables\.no_cursor\.cursor: column 'nope' does not exist in public\.no_cursor/);
    await expect(extractTableToS3(table('shop.texty'), day, context())).rejects.toThrow(
      "sources.shop.tables.texty.cursor: column 'label' is text; a cursor must be timestamptz, timestamp, date or an integer (epoch seconds), or set mode: full",
    );
  });
});
