import { gzipSync } from 'node:zlib';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import {
  BatchExecuteStatementCommand,
  CancelStatementCommand,
  DescribeStatementCommand,
  type DescribeStatementResponse,
  ExecuteStatementCommand,
  type Field,
  GetStatementResultCommand,
  ListStatementsCommand,
  RedshiftDataClient,
  ResourceNotFoundException,
  ValidationException,
} from '@aws-sdk/client-redshift-data';
import pg from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sleepingBackends } from '../support/backends.js';
import { type RedshiftEmulator, startRedshiftEmulator } from '../support/redshift-emulator/index.js';
import { createTestBucket, createTestDatabase, type TestBucket, type TestDatabase, testS3Endpoint } from '../support/test-env.js';

const TARGET = { ClusterIdentifier: 'emulated-cluster', Database: 'dev', DbUser: 'loader' };
const DONE = new Set(['FINISHED', 'FAILED', 'ABORTED']);

describe('the Redshift Data API emulator, driven by the real RedshiftDataClient', () => {
  let database: TestDatabase;
  let bucket: TestBucket;
  let emulator: RedshiftEmulator;
  let client: RedshiftDataClient;

  beforeAll(async () => {
    database = await createTestDatabase('redshift_emulator');
    bucket = await createTestBucket('redshift-emulator');
    emulator = await startRedshiftEmulator({ postgresUrl: database.url, s3Endpoint: testS3Endpoint(), pageSize: 2, pollsBeforeStart: 2 });
    client = new RedshiftDataClient({ endpoint: emulator.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  });
  afterAll(async () => {
    client?.destroy();
    await emulator?.close();
    await bucket?.drop();
    await database?.drop();
  });

  /** Polls DescribeStatement with backoff, recording every status seen. */
  async function waitFor(id: string, seen: string[] = []): Promise<DescribeStatementResponse> {
    let wait = 10;
    for (const started = Date.now(); Date.now() - started < 20_000; wait = Math.min(wait * 2, 200)) {
      const described = await client.send(new DescribeStatementCommand({ Id: id }));
      if (seen.at(-1) !== described.Status) seen.push(described.Status!);
      if (DONE.has(described.Status!)) return described;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
    throw new Error(`statement ${id} did not finish`);
  }

  async function run(sql: string, parameters?: { name: string; value: string }[]): Promise<DescribeStatementResponse> {
    const { Id } = await client.send(new ExecuteStatementCommand({ ...TARGET, Sql: sql, Parameters: parameters }));
    return waitFor(Id!);
  }

  async function batch(sqls: string[]): Promise<DescribeStatementResponse> {
    const { Id } = await client.send(new BatchExecuteStatementCommand({ ...TARGET, Sqls: sqls }));
    return waitFor(Id!);
  }

  /** Every record of a result, following NextToken; also returns how many pages it took. */
  async function allRecords(id: string): Promise<{ records: Field[][]; pages: number; columns: string[]; types: string[] }> {
    const records: Field[][] = [];
    let token: string | undefined;
    let pages = 0;
    let columns: string[] = [];
    let types: string[] = [];
    do {
      const page = await client.send(new GetStatementResultCommand({ Id: id, NextToken: token }));
      pages++;
      records.push(...(page.Records ?? []));
      columns = (page.ColumnMetadata ?? []).map((column) => column.name!);
      types = (page.ColumnMetadata ?? []).map((column) => column.typeName!);
      token = page.NextToken;
    } while (token);
    return { records, pages, columns, types };
  }

  async function rowsOf(sql: string): Promise<Field[][]> {
    const described = await run(sql);
    expect(described.Status, described.Error).toBe('FINISHED');
    return (await allRecords(described.Id!)).records;
  }

  it('runs a statement asynchronously and pages typed results', async () => {
    const { Id, CreatedAt } = await client.send(
      new ExecuteStatementCommand({
        ...TARGET,
        Sql: `select n as id, n * 1.5::float8 as ratio, (n * 1.25)::numeric(10, 2) as amount, n % 2 = 0 as even,
                     case when n = 3 then null else 'row ' || n end as label, '\\x0102'::bytea as raw, :tag::text as tag
                from generate_series(1, 5) as n order by n`,
        Parameters: [{ name: 'tag', value: 'nightly' }],
      }),
    );
    expect(CreatedAt).toBeInstanceOf(Date);
    const seen: string[] = [];
    const described = await waitFor(Id!, seen);
    expect(seen.slice(0, 2)).toEqual(['SUBMITTED', 'PICKED']);
    expect(seen.at(-1)).toBe('FINISHED');
    expect(described).toMatchObject({ HasResultSet: true, ResultRows: 5, QueryParameters: [{ name: 'tag', value: 'nightly' }] });
    expect(described.Duration).toBeGreaterThan(0);
    expect(described.RedshiftQueryId).toBeGreaterThan(0);
    expect(described.UpdatedAt!.getTime()).toBeGreaterThanOrEqual(described.CreatedAt!.getTime());

    const { records, pages, columns, types } = await allRecords(Id!);
    expect(pages).toBe(3);
    expect(columns).toEqual(['id', 'ratio', 'amount', 'even', 'label', 'raw', 'tag']);
    expect(types).toEqual(['int4', 'float8', 'numeric', 'bool', 'varchar', 'varbyte', 'varchar']);
    expect(records).toHaveLength(5);
    expect(records[1]).toEqual([
      { longValue: 2 },
      { doubleValue: 3 },
      { stringValue: '2.50' },
      { booleanValue: true },
      { stringValue: 'row 2' },
      { blobValue: new Uint8Array([1, 2]) },
      { stringValue: 'nightly' },
    ]);
    expect(records[2]![4]).toEqual({ isNull: true });
  });

  it('answers with the Data API’s named exceptions', async () => {
    await expect(client.send(new DescribeStatementCommand({ Id: '01234567-89ab-cdef-0123-456789abcdef' }))).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(client.send(new DescribeStatementCommand({ Id: 'not-an-id' }))).rejects.toBeInstanceOf(ValidationException);
    await expect(client.send(new ExecuteStatementCommand({ Database: 'dev', Sql: 'select 1' }))).rejects.toThrow(/ClusterIdentifier or WorkgroupName/);
    await expect(client.send(new ExecuteStatementCommand({ ...TARGET, Database: undefined, Sql: 'select 1' }))).rejects.toBeInstanceOf(ValidationException);
    await expect(client.send(new ExecuteStatementCommand({ WorkgroupName: 'wg', DbUser: 'x', Database: 'dev', Sql: 'select 1' }))).rejects.toBeInstanceOf(
      ValidationException,
    );
    await expect(client.send(new ExecuteStatementCommand({ ...TARGET, Sql: 'select :a', Parameters: [{ name: 'b', value: '1' }] }))).rejects.toBeInstanceOf(
      ValidationException,
    );

    const serverless = await client.send(new ExecuteStatementCommand({ WorkgroupName: 'wg', Database: 'dev', Sql: 'create table no_result (a int)' }));
    expect(serverless.DbUser).toBe('IAM:test');
    await waitFor(serverless.Id!);
    await expect(client.send(new GetStatementResultCommand({ Id: serverless.Id! }))).rejects.toBeInstanceOf(ResourceNotFoundException);

    const failed = await run('select * from no_such_table');
    expect(failed.Status).toBe('FAILED');
    expect(failed.Error).toBe('ERROR: relation "no_such_table" does not exist');
    expect(failed.ResultRows).toBe(-1);
  });

  it('runs a batch in one transaction and serves each sub-statement’s result', async () => {
    const described = await batch([
      'create table batch_ok (id int, name varchar(10))',
      "insert into batch_ok values (1, 'a'), (2, 'b')",
      'select name from batch_ok order by id',
    ]);
    expect(described.Status).toBe('FINISHED');
    expect(described.SubStatements?.map((sub) => [sub.Id, sub.Status, sub.ResultRows])).toEqual([
      [`${described.Id}:1`, 'FINISHED', 0],
      [`${described.Id}:2`, 'FINISHED', 2],
      [`${described.Id}:3`, 'FINISHED', 2],
    ]);
    expect((await allRecords(`${described.Id}:3`)).records).toEqual([[{ stringValue: 'a' }], [{ stringValue: 'b' }]]);
    expect((await client.send(new DescribeStatementCommand({ Id: `${described.Id}:2` }))).QueryString).toBe("insert into batch_ok values (1, 'a'), (2, 'b')");
  });

  it('rolls a failed batch back whole, for SQL errors and injected failures alike', async () => {
    expect((await run('create table batch_rollback (id int primary key)')).Status).toBe('FINISHED');
    const failed = await batch(['insert into batch_rollback values (1)', 'insert into batch_rollback values (1)', 'insert into batch_rollback values (2)']);
    expect(failed.Status).toBe('FAILED');
    expect(failed.Error).toMatch(/^ERROR: duplicate key value violates unique constraint/);
    expect(failed.SubStatements?.map((sub) => sub.Status)).toEqual(['FINISHED', 'FAILED', 'ABORTED']);

    emulator.setFailWhen(/injected_marker/);
    try {
      const injected = await batch(['insert into batch_rollback values (3)', 'select 1 as injected_marker']);
      expect(injected.Status).toBe('FAILED');
      expect(injected.Error).toMatch(/injected failure/);
    } finally {
      emulator.setFailWhen(undefined);
    }
    expect(await rowsOf('select count(*) from batch_rollback')).toEqual([[{ longValue: 0 }]]);
    expect(
      emulator
        .statements()
        .filter((statement) => statement.sql.includes('injected_marker'))
        .map((statement) => statement.status),
    ).toContain('FAILED');
  });

  it('cancels a running query on the backing PostgreSQL', async () => {
    const { Id } = await client.send(new ExecuteStatementCommand({ ...TARGET, Sql: 'select pg_sleep(30)' }));
    for (let status = ''; status !== 'STARTED'; ) {
      status = (await client.send(new DescribeStatementCommand({ Id }))).Status!;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    expect((await client.send(new CancelStatementCommand({ Id }))).Status).toBe(true);
    const described = await waitFor(Id!);
    expect(described.Status).toBe('ABORTED');
    // The backing query itself was stopped, not left to run out its 30 s.
    expect(await sleepingBackends(database.url)).toBe(0);
    await expect(client.send(new CancelStatementCommand({ Id }))).rejects.toBeInstanceOf(ValidationException);
  });

  it('translates Redshift DDL: DISTSTYLE, SORTKEY, ENCODE, SUPER, GETDATE()', async () => {
    const created = await run(`create table events (
        id bigint identity(1, 1) encode az64,
        payload super,
        kind varchar(max) encode zstd,
        loaded_at timestamp default getdate()
      ) diststyle key distkey(id) compound sortkey(loaded_at, id)`);
    expect(created.Status, created.Error).toBe('FINISHED');
    expect((await run(`insert into events (payload, kind) values (json_parse(:doc), 'click')`, [{ name: 'doc', value: '{"a": [1, 2]}' }])).ResultRows).toBe(1);
    const described = await run("select id, payload, kind, loaded_at is not null and loaded_at <= sysdate + interval '1 second' as stamped from events");
    const { records, types } = await allRecords(described.Id!);
    expect(types).toEqual(['int8', 'super', 'varchar', 'bool']);
    expect(records).toEqual([[{ longValue: 1 }, { stringValue: '{"a": [1, 2]}' }, { stringValue: 'click' }, { booleanValue: true }]]);
  });

  describe('COPY from S3', () => {
    const orders = `create table raw_orders (id int, name varchar(40), note varchar(20), amount numeric(10, 2)) diststyle even`;

    /** Writes parts the way the extractor does (PostgreSQL CSV, gzipped) plus a manifest. */
    async function stage(prefix: string, parts: string[], extraEntries: { url: string; mandatory: boolean }[] = []): Promise<string> {
      const source = new pg.Client({ connectionString: database.url });
      await source.connect();
      const entries = [];
      try {
        for (const [index, select] of parts.entries()) {
          const chunks: Buffer[] = [];
          const stream = source.query(copyTo(`copy (${select}) to stdout with (format csv)`));
          for await (const chunk of stream) chunks.push(chunk as Buffer);
          const body = gzipSync(Buffer.concat(chunks));
          const key = `${prefix}/part-${String(index).padStart(5, '0')}.csv.gz`;
          await bucket.client.send(new PutObjectCommand({ Bucket: bucket.bucket, Key: key, Body: body }));
          entries.push({ url: `s3://${bucket.bucket}/${key}`, mandatory: true, meta: { content_length: body.length } });
        }
      } finally {
        await source.end();
      }
      const manifestKey = `${prefix}/manifest.json`;
      const manifest = JSON.stringify({ entries: [...entries, ...extraEntries] });
      await bucket.client.send(new PutObjectCommand({ Bucket: bucket.bucket, Key: manifestKey, Body: manifest }));
      return `s3://${bucket.bucket}/${manifestKey}`;
    }

    const PART_1 = `select 1 as id, null::text as name, ''::text as note, 10.5 as amount
                    union all select 2, E'two lines\\nwith "quotes", commas', 'x', null`;
    const PART_2 = `select 3, '', null, 0`;

    const copySql = (table: string, manifest: string, options = 'EMPTYASNULL') =>
      `COPY ${table} FROM '${manifest}' IAM_ROLE 'arn:aws:iam::123456789012:role/load' MANIFEST FORMAT AS CSV QUOTE AS '"' GZIP
       DELIMITER ',' ${options} TIMEFORMAT 'auto' DATEFORMAT 'auto' ACCEPTINVCHARS TRUNCATECOLUMNS COMPUPDATE OFF STATUPDATE OFF REGION 'us-east-1'`;

    it('loads gzipped parts named by a manifest, keeping NULL apart from the empty string', async () => {
      const manifest = await stage('load-1', [PART_1, PART_2]);
      expect((await run(orders)).Status).toBe('FINISHED');
      const described = await batch([copySql('raw_orders', manifest), 'select pg_last_copy_count()']);
      expect(described.Status, described.Error).toBe('FINISHED');
      expect(described.SubStatements?.[0]?.ResultRows).toBe(3);
      expect((await allRecords(`${described.Id}:2`)).records).toEqual([[{ longValue: 3 }]]);

      expect(await rowsOf('select id, name, note, amount from raw_orders order by id')).toEqual([
        [{ longValue: 1 }, { isNull: true }, { stringValue: '' }, { stringValue: '10.50' }],
        [{ longValue: 2 }, { stringValue: 'two lines\nwith "quotes", commas' }, { stringValue: 'x' }, { isNull: true }],
        [{ longValue: 3 }, { stringValue: '' }, { isNull: true }, { stringValue: '0.00' }],
      ]);
    });

    it('reports rows loaded as ResultRows, and pg_last_copy_count() is per session', async () => {
      const manifest = await stage('load-2', [PART_2]);
      expect((await run('create table raw_orders_2 (like raw_orders)')).Status).toBe('FINISHED');
      const copied = await run(copySql('raw_orders_2', manifest));
      expect(copied).toMatchObject({ Status: 'FINISHED', ResultRows: 1, HasResultSet: false });
      // Each ExecuteStatement is a session of its own, so a later call sees no COPY.
      expect(await rowsOf('select pg_last_copy_count()')).toEqual([[{ longValue: 0 }]]);
    });

    it('without EMPTYASNULL loads a NULL VARCHAR as an empty string, as Redshift does', async () => {
      const manifest = await stage('load-3', [PART_1]);
      expect((await run('create table raw_orders_3 (like raw_orders)')).Status).toBe('FINISHED');
      expect((await run(copySql('raw_orders_3', manifest, ''))).Status).toBe('FINISHED');
      expect(await rowsOf('select name is null, name, amount is null from raw_orders_3 where id = 1')).toEqual([
        [{ booleanValue: false }, { stringValue: '' }, { booleanValue: false }],
      ]);
    });

    it('fails on a missing mandatory manifest entry and loads nothing', async () => {
      const missing = `s3://${bucket.bucket}/load-4/part-00001.csv.gz`;
      const manifest = await stage('load-4', [PART_1], [{ url: missing, mandatory: true }]);
      expect((await run('create table raw_orders_4 (like raw_orders)')).Status).toBe('FINISHED');
      const described = await run(copySql('raw_orders_4', manifest));
      expect(described.Status).toBe('FAILED');
      expect(described.Error).toContain(missing);
      expect(described.Error).toMatch(/^ERROR: Manifest file entry .* is mandatory, but the file was not found/);
      expect(await rowsOf('select count(*) from raw_orders_4')).toEqual([[{ longValue: 0 }]]);
    });

    it('fails a bad row with Redshift’s load error and rolls the whole COPY back', async () => {
      const manifest = await stage('load-5', [`select 1, 'fits', 'a', 1`, `select 2, repeat('é', 30), 'b', 2`]);
      expect((await run('create table raw_orders_5 (like raw_orders)')).Status).toBe('FINISHED');
      const described = await run(copySql('raw_orders_5', manifest).replace('TRUNCATECOLUMNS', ''));
      expect(described.Status).toBe('FAILED');
      expect(described.Error).toMatch(/^ERROR: Load into table 'raw_orders_5' failed\. Check 'stl_load_errors'/);
      expect(described.Error).toMatch(/String length exceeds DDL length/);
      expect(await rowsOf('select count(*) from raw_orders_5')).toEqual([[{ longValue: 0 }]]);
    });
  });

  it('lists statements by name', async () => {
    const { Id } = await client.send(new ExecuteStatementCommand({ ...TARGET, Sql: 'select 1', StatementName: 'pgshift-list-probe' }));
    await waitFor(Id!);
    const listed = await client.send(new ListStatementsCommand({ StatementName: 'pgshift-list' }));
    expect(listed.Statements?.map((statement) => statement.Id)).toEqual([Id]);
  });
});
