import type { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { gzipSync } from 'node:zlib';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import type pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { RedshiftTarget } from '../../src/config/target.js';
import { CancelledError, LoadError, WarehouseError } from '../../src/errors.js';
import { redshiftManifest } from '../../src/batch/batch-manifest.js';
import { openRedshiftWarehouse, RedshiftDataWarehouse } from '../../src/warehouse/redshift-data-warehouse.js';
import type { BatchLoadRequest } from '../../src/warehouse/warehouse.js';
import { type RedshiftEmulator, startRedshiftEmulator } from '../support/redshift-emulator/index.js';
import { sleepingBackends } from '../support/backends.js';
import { readGunzipped } from '../support/s3-objects.js';
import { createTestBucket, createTestDatabase, type TestBucket, type TestDatabase, testS3Endpoint } from '../support/test-env.js';
import { testPool } from '../support/test-pool.js';

const IAM_ROLE = 'arn:aws:iam::123456789012:role/pgshift-loader';

describe('RedshiftDataWarehouse against the Redshift Data API emulator', () => {
  let database: TestDatabase;
  let bucket: TestBucket;
  let emulator: RedshiftEmulator;
  let db: pg.Pool;
  let target: RedshiftTarget;
  let warehouse: RedshiftDataWarehouse;

  beforeAll(async () => {
    database = await createTestDatabase('redshift_warehouse');
    bucket = await createTestBucket('redshift-warehouse');
    // Two rows per result page, and statements that start only once polled twice, so paging and
    // polling are really exercised.
    emulator = await startRedshiftEmulator({ postgresUrl: database.url, s3Endpoint: testS3Endpoint(), pageSize: 2, pollsBeforeStart: 2 });
    db = testPool({ connectionString: database.url, options: emulator.connectionOptions, max: 2 });
    target = {
      name: 'emulated',
      type: 'redshift',
      schema: 'analytics',
      database: 'dev',
      clusterIdentifier: 'emulated-cluster',
      dbUser: 'loader',
      region: 'us-east-1',
      endpoint: emulator.endpoint,
      iamRole: IAM_ROLE,
      statementTimeoutMs: 30_000,
    };
    warehouse = new RedshiftDataWarehouse(target, dataClient(), { pollInitialMs: 10 });
    await db.query('create schema raw; create schema src');
  });

  /** Resolves once a statement whose SQL matches has reached `status` on the emulator. */
  async function untilStatus(sql: RegExp, status: string): Promise<void> {
    while (!emulator.statements().some((statement) => sql.test(statement.sql) && statement.status === status)) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }

  afterAll(async () => {
    await warehouse?.close();
    await emulator?.close();
    await db?.end();
    await bucket?.drop();
    await database?.drop();
  });

  function dataClient(): RedshiftDataClient {
    return new RedshiftDataClient({ endpoint: emulator.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  }

  describe('statements', () => {
    it('sends $n parameters as Data API named parameters and pages typed results across NextToken', async () => {
      await warehouse.execute('create table "raw".people (id bigint, name varchar(100), score numeric(6,2), active boolean, ratio float8)');
      const inserted = await warehouse.execute(
        `insert into "raw".people values ($1, $2, $3, $4, $5), (2, 'it''s $1, not a parameter', 1.5, false, 0.5), (3, $6, null, null, null),
           (4, 'b', 4, true, 4), (5, 'c', 5, true, 5)`,
        [1, "back\\slash 'quote' 🦄", '12.50', true, 0.25, ''],
      );
      expect(inserted.rowCount).toBe(5);
      const sent = emulator.statements().find((statement) => statement.sql.startsWith('insert into "raw".people'))!;
      expect(sent.sql).toContain('values (:p1, :p2, :p3, :p4, :p5)');
      // An empty string cannot be a Data API parameter, so it travels inline.
      expect(sent.sql).toContain("(3, '', null, null, null)");

      const rows = await warehouse.query('select id, name, score, active, ratio from "raw".people where id >= $1 order by id', [1]);
      expect(rows).toHaveLength(5);
      expect(rows[0]).toEqual({ id: '1', name: "back\\slash 'quote' 🦄", score: '12.50', active: true, ratio: 0.25 });
      expect(rows[1]).toEqual({ id: '2', name: "it's $1, not a parameter", score: '1.50', active: false, ratio: 0.5 });
      expect(rows[2]).toEqual({ id: '3', name: '', score: null, active: null, ratio: null });
      expect(rows.map((row) => row.id)).toEqual(['1', '2', '3', '4', '5']);
    });

    it('passes NULL parameters inline, since the Data API would read them as the text null', async () => {
      const [row] = await warehouse.query<{ is_null: boolean; kind: string }>('select $1::varchar is null as is_null, $2 as kind', [null, 'x']);
      expect(row).toEqual({ is_null: true, kind: 'x' });
    });

    it('returns no rows for a statement without a result set', async () => {
      expect(await warehouse.query('create table "raw".nothing (id int)')).toEqual([]);
    });

    it('runs a transaction as one batch and reports each statement’s row count', async () => {
      await warehouse.execute('create table "raw".ledger (id int, note varchar(50))');
      const results = await warehouse.transaction([
        { sql: 'insert into "raw".ledger values ($1, $2), ($3, $4)', params: [1, 'a\\b', 2, null] },
        { sql: 'update "raw".ledger set note = $1 where id = $2', params: ['two', 2] },
      ]);
      expect(results).toEqual([{ rowCount: 2 }, { rowCount: 1 }]);
      const { rows } = await db.query('select id, note from "raw".ledger order by id');
      expect(rows).toEqual([
        { id: 1, note: 'a\\b' },
        { id: 2, note: 'two' },
      ]);
    });

    it('rolls a transaction back when one statement fails, naming that statement', async () => {
      await warehouse.execute('create table "raw".accounts (id int)');
      const failure = await warehouse
        .transaction([
          { sql: 'insert into "raw".accounts values (1)' },
          { sql: 'insert into "raw".accounts values (2)' },
          { sql: 'insert into "raw".no_such_table values (3)' },
        ])
        .catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(WarehouseError);
      expect((failure as WarehouseError).context.statementId).toMatch(/:3$/);
      expect((failure as Error).message).toContain('relation "raw.no_such_table" does not exist');
      expect((failure as Error).message).toContain('in: insert into "raw".no_such_table values (3)');
      expect((await db.query('select count(*)::int as n from "raw".accounts')).rows[0].n).toBe(0);
    });

    it('reports a failed statement with Redshift’s message, its id and the redacted SQL', async () => {
      const failure = (await warehouse
        .execute(`select * from "raw".missing where note = 'password=hunter2'`)
        .catch((error: unknown) => error)) as WarehouseError;
      expect(failure).toBeInstanceOf(WarehouseError);
      expect(failure.message).toMatch(/^Redshift statement [0-9a-f-]{36} failed: ERROR: relation "raw.missing" does not exist/);
      expect(failure.message).toContain('password=***');
      expect(failure.message).not.toContain('hunter2');
      expect(failure.context.statementId).toMatch(/^[0-9a-f-]{36}$/);
    });

    it('cancels the running statement when the signal aborts', async () => {
      const abort = new AbortController();
      // Abort once the query really runs on the warehouse, whatever the machine's speed.
      const running = untilStatus(/pg_sleep\(30\)/, 'STARTED').then(() => abort.abort());
      const failure = await warehouse.query('select pg_sleep(30)', [], { signal: abort.signal }).catch((error: unknown) => error);
      await running;
      expect(failure).toBeInstanceOf(CancelledError);
      expect((failure as Error).message).toContain('it was cancelled and rolled back');
      expect(await sleepingBackends(database.url)).toBe(0);
      const statement = emulator.statements().find((candidate) => candidate.id === (failure as CancelledError).context.statementId);
      expect(statement?.status).toBe('ABORTED');
    });

    it('cancels a statement that outlives the target’s statement timeout', async () => {
      const impatient = new RedshiftDataWarehouse({ ...target, statementTimeoutMs: 300 }, dataClient(), { pollInitialMs: 10 });
      try {
        const failure = await impatient.execute('select pg_sleep(10)').catch((error: unknown) => error);
        expect(failure).toBeInstanceOf(WarehouseError);
        expect((failure as Error).message).toContain("did not finish within 0.3s (the target's statement_timeout); it was cancelled");
        const statement = emulator.statements().find((candidate) => candidate.id === (failure as WarehouseError).context.statementId);
        expect(statement?.status).toBe('ABORTED');
      } finally {
        await impatient.close();
      }
    });

    it('describes a table with format_type() names, and nothing for a missing one', async () => {
      await warehouse.execute('create table "raw".described (id integer, name character varying(80), amount numeric(12,2), at timestamp with time zone)');
      expect(await warehouse.describeTable('raw', 'described')).toEqual([
        { name: 'id', type: 'integer' },
        { name: 'name', type: 'character varying(80)' },
        { name: 'amount', type: 'numeric(12,2)' },
        { name: 'at', type: 'timestamp with time zone' },
      ]);
      expect(await warehouse.describeTable('raw', 'no_such_table')).toBeUndefined();
    });

    it('opens through openRedshiftWarehouse with the default credential chain', async () => {
      vi.stubEnv('AWS_ACCESS_KEY_ID', 'test');
      vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'test');
      const opened = openRedshiftWarehouse(target);
      try {
        expect(await opened.query('select 1 as one')).toEqual([{ one: 1 }]);
      } finally {
        await opened.close();
        vi.unstubAllEnvs();
      }
    });
  });

  describe('loadBatch', () => {
    const COLUMNS = ['id', 'note', 'amount', 'happened_at', '_pgshift_batch_id', '_pgshift_extracted_at'];
    // The values that break naive loaders, in the source table the batches are extracted from.
    const SOURCE_ROWS = `
      (1, null, 1.10, '2026-11-23 00:00:00+00'),
      (2, '', 2.20, '2026-11-23 01:30:00.123456+00'),
      (3, 'quote " comma , newline
line two', null, '2026-11-23 02:00:00+00'),
      (4, '\\N', 4.40, null),
      (5, 'back\\slash 🦄 emoji ünïcödé 中文', 5.50, '2026-11-23 23:59:59+00'),
      (6, 'CR' || chr(13) || 'LF', 6.60, '2026-03-29 01:00:00+00')`;

    beforeAll(async () => {
      await db.query(
        `create table src.events (id int, note text, amount numeric(12,2), happened_at timestamptz); insert into src.events values ${SOURCE_ROWS}`,
      );
      await db.query(`create table src.products (id int, note text, amount numeric(12,2), happened_at timestamptz)`);
      await warehouse.execute(rawTableDdl('events'));
      await warehouse.execute(rawTableDdl('products'));
      await warehouse.execute('create table "raw".load_log (table_name varchar(100), batch_id varchar(64), rows bigint, note varchar(100))');
    });

    function rawTableDdl(table: string): string {
      return `create table "raw".${table} (id integer, note character varying(65535), amount numeric(12,2), happened_at timestamp with time zone,
        _pgshift_batch_id character varying(64), _pgshift_extracted_at timestamp with time zone) diststyle auto compound sortkey (happened_at)`;
    }

    /** What `pgshift extract` writes: COPY … TO STDOUT WITH (FORMAT csv, NULL '\N') in UTC, gzipped, plus a manifest. */
    async function extractBatch(table: string, batchId: string, where: string[]): Promise<Pick<BatchLoadRequest, 'bucket' | 'manifestKey' | 'parts'>> {
      const prefix = `batches/shop/${table}/${batchId}/`;
      const parts: { key: string; bytes: number }[] = [];
      const client = await db.connect();
      try {
        for (const [index, condition] of where.entries()) {
          const csv = await text(
            client.query(
              copyTo(
                `copy (select id, note, amount, happened_at, '${batchId}', '2026-11-24 03:00:00+00'::timestamptz from src.${table} where ${condition} order by id) to stdout with (format csv, null '\\N')`,
              ),
            ) as unknown as Readable,
          );
          const body = gzipSync(csv);
          const key = `${prefix}part-${String(index).padStart(5, '0')}.csv.gz`;
          await bucket.client.send(new PutObjectCommand({ Bucket: bucket.bucket, Key: key, Body: body }));
          parts.push({ key, bytes: body.length });
        }
      } finally {
        client.release();
      }
      const manifestKey = `${prefix}manifest.json`;
      await bucket.client.send(new PutObjectCommand({ Bucket: bucket.bucket, Key: manifestKey, Body: JSON.stringify(redshiftManifest(bucket.bucket, parts)) }));
      return { bucket: bucket.bucket, manifestKey, parts };
    }

    function request(
      table: string,
      batchId: string,
      replace: 'batch' | 'table',
      files: Pick<BatchLoadRequest, 'bucket' | 'manifestKey' | 'parts'>,
      expectedRows: number,
    ): BatchLoadRequest {
      return {
        schema: 'raw',
        table,
        columns: COLUMNS,
        batchIdColumn: '_pgshift_batch_id',
        batchId,
        replace,
        expectedRows,
        ...files,
        afterLoad: [{ sql: 'insert into "raw".load_log values ($1, $2, $3, $4)', params: [table, batchId, expectedRows, 'loaded \\ ok'] }],
      };
    }

    async function loadedRows(table: string): Promise<unknown[]> {
      return (await db.query(`select id, note, amount, happened_at, _pgshift_batch_id as batch from "raw".${table} order by batch, id`)).rows;
    }

    async function sourceRows(table: string, batchId: string): Promise<unknown[]> {
      return (await db.query(`select id, note, amount, happened_at, $1::text as batch from src.${table} order by id`, [batchId])).rows;
    }

    it('loads NULL, empty strings, quotes, newlines, CR, \\N text, backslashes, emoji and timestamptz exactly', async () => {
      const files = await extractBatch('events', '2026-11-23', ['id <= 3', 'id > 3']);
      // NULL is an unquoted \N, '' an empty field, and the text \N is quoted.
      const [first, second] = await Promise.all(
        files.parts.map(async (part) => (await readGunzipped(bucket.client, bucket.bucket, part.key)).toString('utf8')),
      );
      expect(first).toContain('1,\\N,1.10,2026-11-23 00:00:00+00,');
      expect(first).toContain('2,,2.20,2026-11-23 01:30:00.123456+00,');
      expect(second).toContain('4,"\\N",4.40,\\N,');

      expect(await warehouse.loadBatch(request('events', '2026-11-23', 'batch', files, 6))).toEqual({ rows: 6 });
      expect(await loadedRows('events')).toEqual(await sourceRows('events', '2026-11-23'));
      const { rows } = await db.query(`select id, note is null as note_is_null, note from "raw".events where id in (1, 2, 4) order by id`);
      expect(rows).toEqual([
        { id: 1, note_is_null: true, note: null },
        { id: 2, note_is_null: false, note: '' },
        { id: 4, note_is_null: false, note: '\\N' },
      ]);
      expect((await db.query(`select * from "raw".load_log where batch_id = '2026-11-23'`)).rows).toEqual([
        { table_name: 'events', batch_id: '2026-11-23', rows: '6', note: 'loaded \\ ok' },
      ]);

      const copy = emulator.statements().find((statement) => /^copy "raw"\."events"/.test(statement.sql))!;
      expect(copy.sql).toContain(`iam_role '${IAM_ROLE}'`);
      expect(copy.status).toBe('FINISHED');
    });

    it('replaces the batch on a rerun instead of duplicating it, leaving other batches alone', async () => {
      await db.query(`insert into src.events values (7, 'late arrival', 7.70, '2026-11-24 00:00:00+00')`);
      const nextDay = await extractBatch('events', '2026-11-24', ['id = 7']);
      await warehouse.loadBatch(request('events', '2026-11-24', 'batch', nextDay, 1));
      const rerun = await extractBatch('events', '2026-11-23', ['id <= 3', 'id > 3 and id < 7']);
      await warehouse.loadBatch(request('events', '2026-11-23', 'batch', rerun, 6));

      const { rows } = await db.query(`select _pgshift_batch_id as batch, count(*)::int as n from "raw".events group by 1 order by 1`);
      expect(rows).toEqual([
        { batch: '2026-11-23', n: 6 },
        { batch: '2026-11-24', n: 1 },
      ]);
    });

    it('fails on a row-count mismatch with both numbers, and changes nothing', async () => {
      const before = await loadedRows('events');
      const logBefore = (await db.query('select count(*)::int as n from "raw".load_log')).rows[0].n;
      const files = await extractBatch('events', '2026-11-23', ['id <= 3', 'id > 3 and id < 7']);

      const failure = await warehouse.loadBatch(request('events', '2026-11-23', 'batch', files, 9)).catch((error: unknown) => error);

      expect(failure).toBeInstanceOf(LoadError);
      expect((failure as Error).message).toContain('at step 4 (row-count check)');
      expect((failure as Error).message).toContain('hint: raw.events would not hold exactly the 9 rows batch.json counts for batch 2026-11-23');
      expect((failure as LoadError).context).toMatchObject({ table: 'raw.events', batch: '2026-11-23' });
      expect((failure as LoadError).context.statementId).toMatch(/:4$/);
      expect(await loadedRows('events')).toEqual(before);
      expect((await db.query('select count(*)::int as n from "raw".load_log')).rows[0].n).toBe(logBefore);
    });

    it('replaces a full-mode table atomically, and a rerun gives the same table', async () => {
      await db.query(`insert into src.products values (1, 'old', 1, null), (2, 'old', 2, null)`);
      await warehouse.loadBatch(request('products', '2026-11-22', 'table', await extractBatch('products', '2026-11-22', ['true']), 2));
      await db.query(`delete from src.products; insert into src.products values ${SOURCE_ROWS}`);

      const files = await extractBatch('products', '2026-11-23', ['id <= 3', 'id > 3']);
      await warehouse.loadBatch(request('products', '2026-11-23', 'table', files, 6));
      expect(await loadedRows('products')).toEqual(await sourceRows('products', '2026-11-23'));
      await warehouse.loadBatch(request('products', '2026-11-23', 'table', files, 6));
      expect(await loadedRows('products')).toEqual(await sourceRows('products', '2026-11-23'));

      // The swap leaves no working tables behind, and the table keeps its columns.
      const { rows } = await db.query(`select table_name from information_schema.tables where table_schema = 'raw' and table_name like 'products%' order by 1`);
      expect(rows).toEqual([{ table_name: 'products' }]);
      expect((await warehouse.describeTable('raw', 'products'))?.map((column) => column.name)).toEqual(COLUMNS);
    });

    it('leaves a full-mode table untouched when its new rows do not add up', async () => {
      const before = await loadedRows('products');
      const files = await extractBatch('products', '2026-11-25', ['id <= 3']);
      const failure = await warehouse.loadBatch(request('products', '2026-11-25', 'table', files, 4)).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(LoadError);
      expect((failure as Error).message).toContain('(row-count check)');
      expect((failure as Error).message).toContain('hint: raw.products would not hold exactly the 4 rows batch.json counts for batch 2026-11-25');
      expect(await loadedRows('products')).toEqual(before);
    });

    it('refuses the swap while a schema-bound view holds the table, with a hint, and rolls back', async () => {
      await warehouse.execute('create view "raw".products_view as select id from "raw".products');
      try {
        const before = await loadedRows('products');
        const files = await extractBatch('products', '2026-11-26', ['true']);
        const failure = await warehouse.loadBatch(request('products', '2026-11-26', 'table', files, 6)).catch((error: unknown) => error);
        expect(failure).toBeInstanceOf(LoadError);
        expect((failure as Error).message).toContain('(drop the old table)');
        expect((failure as Error).message).toContain('hint: a view bound to raw.products keeps the old table in use');
        expect(await loadedRows('products')).toEqual(before);
      } finally {
        await warehouse.execute('drop view "raw".products_view');
      }
    });

    it('turns a COPY that Redshift rejects into a LoadError naming the statement', async () => {
      const files = await extractBatch('events', '2026-11-27', ['true']);
      const failure = await warehouse
        .loadBatch({ ...request('events', '2026-11-27', 'batch', files, 7), columns: COLUMNS.slice(0, 5) })
        .catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(LoadError);
      expect((failure as Error).message).toContain('at step 3 (copy from S3)');
      expect((failure as Error).message).toContain("Load into table 'events' failed");
      expect((failure as LoadError).context.statementId).toMatch(/:3$/);
    });
  });
});
