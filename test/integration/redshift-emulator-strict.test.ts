// The strict emulator refuses (or behaves) as Redshift does, one test per rule, each naming the
// AWS page the rule comes from. Statements run as non-superuser identities where privileges matter.

import {
  BatchExecuteStatementCommand,
  DescribeStatementCommand,
  type DescribeStatementResponse,
  ExecuteStatementCommand,
  type Field,
  GetStatementResultCommand,
  RedshiftDataClient,
  ValidationException,
} from '@aws-sdk/client-redshift-data';
import { gzipSync } from 'node:zlib';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RedshiftEmulator, startRedshiftEmulator } from '../support/redshift-emulator/index.js';
import { createTestBucket, createTestDatabase, type TestBucket, type TestDatabase, testS3Endpoint } from '../support/test-env.js';
import { createWarehouseIdentity, type WarehouseIdentity } from '../support/warehouse-identity.js';

const CLUSTER = { ClusterIdentifier: 'emulated-cluster', Database: 'dev' };
const DONE = new Set(['FINISHED', 'FAILED', 'ABORTED']);

describe('the strict Redshift emulator', () => {
  let database: TestDatabase;
  let owner: WarehouseIdentity;
  let other: WarehouseIdentity;
  let emulator: RedshiftEmulator;
  let client: RedshiftDataClient;
  let admin: pg.Client;
  let bucket: TestBucket;

  beforeAll(async () => {
    database = await createTestDatabase('redshift_strict');
    bucket = await createTestBucket('redshift-strict');
    owner = await createWarehouseIdentity(database.url);
    other = await createWarehouseIdentity(database.url);
    admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    // DbUser picks the identity, as the Data API's temporary credentials do; "admin" is the superuser.
    const users: Record<string, string | undefined> = { loader: owner.name, other: other.name, admin: undefined };
    emulator = await startRedshiftEmulator({
      postgresUrl: database.url,
      s3Endpoint: testS3Endpoint(),
      runAs: (request) => users[request.dbUser ?? 'loader'],
    });
    client = new RedshiftDataClient({ endpoint: emulator.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  });
  afterAll(async () => {
    client?.destroy();
    await emulator?.close();
    await admin?.end();
    await bucket?.drop();
    await database?.drop();
    await owner?.drop();
    await other?.drop();
  });

  async function waitFor(id: string): Promise<DescribeStatementResponse> {
    for (let wait = 5; ; wait = Math.min(wait * 2, 100)) {
      const described = await client.send(new DescribeStatementCommand({ Id: id }));
      if (DONE.has(described.Status!)) return described;
      await new Promise((resolve) => setTimeout(resolve, wait));
    }
  }

  async function run(sql: string, dbUser = 'loader'): Promise<DescribeStatementResponse> {
    const { Id } = await client.send(new ExecuteStatementCommand({ ...CLUSTER, DbUser: dbUser, Sql: sql }));
    return waitFor(Id!);
  }

  async function ok(sql: string, dbUser = 'loader'): Promise<DescribeStatementResponse> {
    const described = await run(sql, dbUser);
    expect(described.Status, `${sql}\n${described.Error}`).toBe('FINISHED');
    return described;
  }

  async function fails(sql: string, dbUser = 'loader'): Promise<string> {
    const described = await run(sql, dbUser);
    expect(described.Status, sql).toBe('FAILED');
    return described.Error!;
  }

  async function batch(sqls: string[], dbUser = 'loader'): Promise<DescribeStatementResponse> {
    const { Id } = await client.send(new BatchExecuteStatementCommand({ ...CLUSTER, DbUser: dbUser, Sqls: sqls }));
    return waitFor(Id!);
  }

  async function rows(sql: string, dbUser = 'loader'): Promise<Field[][]> {
    const described = await ok(sql, dbUser);
    return (await client.send(new GetStatementResultCommand({ Id: described.Id! }))).Records ?? [];
  }

  // https://docs.aws.amazon.com/redshift/latest/dg/r_pg_keywords.html
  it('refuses a reserved word as a bare name (RAW), and accepts it in double quotes', async () => {
    expect(await fails('create schema raw')).toBe('ERROR: syntax error at or near "raw"');
    await ok('create schema "raw"');
    await ok('create table "raw".events (id int)');
    expect(await fails('select count(*) from raw.events')).toBe('ERROR: syntax error at or near "raw"');
    expect(await fails('insert into raw.events values (1)')).toBe('ERROR: syntax error at or near "raw"');
    expect(await fails('create table public.tagged (id int, tag varchar(10))')).toBe('ERROR: syntax error at or near "tag"');
    expect(await fails('alter table "raw".events add column open boolean')).toBe('ERROR: syntax error at or near "open"');
    await ok('create table public.tagged (id int, "tag" varchar(10), primary key (id), unique ("tag"))');
    // After a dot any word is a name: the docs' catalog queries write n.oid.
    expect(await rows("select count(*) from pg_namespace n where n.oid = n.oid and n.nspname = 'raw'")).toEqual([[{ longValue: 1 }]]);
    expect(await rows(`select count(*) from "raw"."events"`)).toEqual([[{ longValue: 0 }]]);
    // Keywords in their own places are no names.
    expect(await rows(`select extract(year from timestamp '2024-05-01 10:00:00')::int as y, trim(both from ' x ') as t`)).toEqual([
      [{ longValue: 2024 }, { stringValue: 'x' }],
    ]);
  });

  // https://docs.aws.amazon.com/redshift/latest/dg/r_QUOTE_IDENT.html: quotes "only where necessary
  // … when the string contains non-identifier characters or would otherwise be folded to lowercase".
  it('QUOTE_IDENT leaves a lower-case keyword bare, so dynamic SQL built with it fails on RAW', async () => {
    expect(await rows(`select quote_ident('raw') as a, quote_ident('Raw') as b, quote_ident('a b') as c`)).toEqual([
      [{ stringValue: 'raw' }, { stringValue: '"Raw"' }, { stringValue: '"a b"' }],
    ]);
    await ok(`create or replace procedure public.count_rows(schema_name varchar, table_name varchar)
      as $$
      declare
        n bigint;
      begin
        execute 'select count(*) from ' || quote_ident(schema_name) || '.' || quote_ident(table_name) into n;
      end;
      $$ language plpgsql`);
    await ok(`create table public.plain (id int)`);
    await ok(`call public.count_rows('public', 'plain')`);
    expect(await fails(`call public.count_rows('raw', 'events')`)).toMatch(/^ERROR: syntax error at or near "raw"/);
  });

  // https://docs.aws.amazon.com/redshift/latest/dg/r_enable_case_sensitive_identifier.html
  it('folds quoted identifiers to lower case, as enable_case_sensitive_identifier=false does', async () => {
    await ok('create table "MixedCasedTable2" ("MixedCasedColumn" int)');
    expect(await fails('create table MixedCasedTable2 (MixedCasedColumn int)')).toMatch(/relation "mixedcasedtable2" already exists/);
    const described = await ok('select "MixedCasedColumn" from "MixedCasedTable2"');
    const result = await client.send(new GetStatementResultCommand({ Id: described.Id! }));
    expect(result.ColumnMetadata?.map((column) => column.label)).toEqual(['mixedcasedcolumn']);
  });

  // https://docs.aws.amazon.com/redshift/latest/dg/c_serial_isolation-serializable-isolation-troubleshooting.html
  it('aborts one of two transactions that read what the other writes with ERROR 1023', async () => {
    await ok('create table public.tab1 (id int)');
    await ok('create table public.tab2 (id int)');
    // The page's own example: session 1 reads tab1 and writes tab2, session 2 the reverse.
    const [first, second] = await Promise.all([
      batch(['select count(*) from public.tab1', 'select pg_sleep(0.5)', 'insert into public.tab2 values (1)']),
      batch(['select count(*) from public.tab2', 'select pg_sleep(0.5)', 'insert into public.tab1 values (1)']),
    ]);
    const statuses = [first.Status, second.Status].sort();
    expect(statuses).toEqual(['FAILED', 'FINISHED']);
    const failed = first.Status === 'FAILED' ? first : second;
    expect(failed.Error).toMatch(/^ERROR: 1023 DETAIL: Serializable isolation violation on table/);
  });

  // The same page's remedy: LOCK the shared table first, and the two run one after the other.
  it('serializes two loads that read and write one shared table, once each LOCKs it first', async () => {
    await ok('create table public.batches (batch_id varchar(20), rows_loaded int)');
    const load = (id: string, lock: boolean) =>
      batch([
        ...(lock ? ['lock public.batches'] : []),
        `select count(*) from public.batches where batch_id = '${id}'`,
        'select pg_sleep(0.3)',
        `insert into public.batches values ('${id}', 1)`,
      ]);
    const racing = await Promise.all([load('a', false), load('b', false)]);
    expect(racing.map((described) => described.Status).sort()).toEqual(['FAILED', 'FINISHED']);
    expect(racing.find((described) => described.Status === 'FAILED')!.Error).toMatch(/^ERROR: 1023 DETAIL: Serializable isolation violation/);
    const locked = await Promise.all([load('c', true), load('d', true)]);
    expect(locked.map((described) => described.Status)).toEqual(['FINISHED', 'FINISHED']);
  });

  // https://docs.aws.amazon.com/redshift/latest/dg/stored-procedure-security-and-privileges.html
  // https://docs.aws.amazon.com/redshift/latest/dg/r_CREATE_PROCEDURE.html
  it('lets only the owner replace a procedure, and grants EXECUTE to nobody else by default', async () => {
    await ok(`create or replace procedure public.owned_by_loader() as $$ begin perform 1; end; $$ language plpgsql`);
    await ok('call public.owned_by_loader()');
    expect(await fails(`create or replace procedure public.owned_by_loader() as $$ begin perform 2; end; $$ language plpgsql`, 'other')).toMatch(
      /^ERROR: must be superuser or the owner to replace procedure owned_by_loader/,
    );
    expect(await fails('call public.owned_by_loader()', 'other')).toMatch(/permission denied for procedure owned_by_loader/);
    await ok(`grant execute on procedure public.owned_by_loader() to ${other.name}`);
    await ok('call public.owned_by_loader()', 'other');
  });

  // https://docs.aws.amazon.com/redshift/latest/dg/r_WITH_clause.html
  it('refuses a WITH clause inside a WITH clause subquery', async () => {
    expect(await fails('with a as (with b as (select 1 as x) select x from b) select x from a')).toMatch(
      /You can't specify another WITH clause inside a WITH clause subquery/,
    );
    expect(await rows('with b as (select 1 as x), a as (select x from b) select x from a')).toEqual([[{ longValue: 1 }]]);
  });

  // https://docs.aws.amazon.com/redshift-data/latest/APIReference/API_ColumnMetadata.html
  it('reports the table column as ColumnMetadata.name and the alias as its label', async () => {
    await ok('create table public.labelled (amount int)');
    const described = await ok('select amount as total, amount, 1 as one from public.labelled');
    const { ColumnMetadata } = await client.send(new GetStatementResultCommand({ Id: described.Id! }));
    expect(ColumnMetadata?.map((column) => [column.name, column.label])).toEqual([
      ['amount', 'total'],
      ['amount', 'amount'],
      ['one', 'one'],
    ]);
  });

  // https://docs.aws.amazon.com/redshift-data/latest/APIReference/API_BatchExecuteStatement.html
  it('refuses batch Parameters that the SQL would need undocumented binding rules for', async () => {
    const copyLike = `select 'arn:aws:iam::123456789012:role/load' as role, :batch_id as id`;
    await expect(
      client.send(new BatchExecuteStatementCommand({ ...CLUSTER, DbUser: 'loader', Sqls: [copyLike], Parameters: [{ name: 'batch_id', value: '7' }] })),
    ).rejects.toThrow(/:name inside a literal/);
    await expect(
      client.send(
        new BatchExecuteStatementCommand({
          ...CLUSTER,
          DbUser: 'loader',
          Sqls: ['select :a as a'],
          Parameters: [
            { name: 'a', value: '1' },
            { name: 'b', value: '2' },
          ],
        }),
      ),
    ).rejects.toBeInstanceOf(ValidationException);
    const { Id } = await client.send(
      new BatchExecuteStatementCommand({ ...CLUSTER, DbUser: 'loader', Sqls: ['select :a::int as a'], Parameters: [{ name: 'a', value: '1' }] }),
    );
    expect((await waitFor(Id!)).Status).toBe('FINISHED');
  });

  // https://docs.aws.amazon.com/redshift/latest/mgmt/data-api.html ("The maximum query statement size is 100 KB")
  it('refuses a statement over 100 KB with ValidationException', async () => {
    const padding = (bytes: number) => `select 1 as one -- ${'x'.repeat(bytes - 19)}`;
    expect(Buffer.byteLength(padding(100_000))).toBe(100_000);
    await ok(padding(100_000));
    await expect(client.send(new ExecuteStatementCommand({ ...CLUSTER, DbUser: 'loader', Sql: padding(100_001) }))).rejects.toThrow(/larger than 100kB/);
    await expect(client.send(new BatchExecuteStatementCommand({ ...CLUSTER, DbUser: 'loader', Sqls: ['select 1', padding(100_001)] }))).rejects.toBeInstanceOf(
      ValidationException,
    );
  });

  // https://docs.aws.amazon.com/redshift/latest/dg/r_TRUNCATE.html ("TRUNCATE commits the transaction in which it is run")
  it('commits the batch up to and including a TRUNCATE, whatever fails after it', async () => {
    await ok('create table public.truncated (id int)');
    await ok('insert into public.truncated values (1)');
    const failed = await batch([
      'insert into public.truncated values (2)',
      'truncate public.truncated',
      'insert into public.truncated values (3)',
      'select 1/0',
    ]);
    expect(failed.Status).toBe('FAILED');
    // Without the implicit commit the rollback would bring back row 1.
    expect(await rows('select count(*) from public.truncated')).toEqual([[{ longValue: 0 }]]);
  });

  /** One gzipped CSV part and its manifest; returns the COPY that loads it into `table`. */
  async function stagedCopy(name: string, csv: string, table: string, options = ''): Promise<string> {
    const key = `${name}/part-00000.csv.gz`;
    await bucket.client.send(new PutObjectCommand({ Bucket: bucket.bucket, Key: key, Body: gzipSync(csv) }));
    const manifest = JSON.stringify({ entries: [{ url: `s3://${bucket.bucket}/${key}`, mandatory: true }] });
    await bucket.client.send(new PutObjectCommand({ Bucket: bucket.bucket, Key: `${name}/manifest.json`, Body: manifest }));
    return `copy ${table} from 's3://${bucket.bucket}/${name}/manifest.json' iam_role 'arn:aws:iam::123456789012:role/load' manifest format as csv gzip ${options}`;
  }

  // https://docs.aws.amazon.com/redshift/latest/dg/copy-parameters-data-conversion.html#copy-roundec
  it('COPY truncates decimals past the column scale unless ROUNDEC', async () => {
    await ok('create table public.prices (id int, price decimal(8, 2))');
    await ok(await stagedCopy('truncate', '1,20.259\n2,-1.999\n3,7\n', 'public.prices'));
    await ok(await stagedCopy('round', '4,20.259\n', 'public.prices', 'roundec'));
    expect(await rows('select id, price from public.prices order by id')).toEqual([
      [{ longValue: 1 }, { stringValue: '20.25' }],
      [{ longValue: 2 }, { stringValue: '-1.99' }],
      [{ longValue: 3 }, { stringValue: '7.00' }],
      [{ longValue: 4 }, { stringValue: '20.26' }],
    ]);
  });

  // https://docs.aws.amazon.com/redshift/latest/dg/r_Numeric_types201.html (128-bit signed integers: no NaN, no Infinity)
  it('refuses NaN and Infinity in a DECIMAL column, by COPY or cast', async () => {
    await ok('create table public.ratios (id int, ratio decimal(38, 10))');
    for (const [index, value] of ['NaN', 'Infinity', '-Infinity'].entries()) {
      const described = await run(await stagedCopy(`nan-${index}`, `1,${value}\n`, 'public.ratios'));
      expect(described.Status).toBe('FAILED');
      expect(described.Error).toMatch(/Load into table 'ratios' failed.*\n.*Invalid digit.*column ratio/);
    }
    expect(await rows('select count(*) from public.ratios')).toEqual([[{ longValue: 0 }]]);
    expect(await fails(`insert into public.ratios values (1, 'NaN'::numeric)`)).toBe('ERROR: invalid input syntax for type numeric: "NaN"');
    expect(await fails(`select cast('-Infinity' as decimal(10, 2))`)).toMatch(/invalid input syntax for type numeric/);
    expect(await rows(`select 'NaN'::float8 as f, 'nan' as t`)).toEqual([[{ doubleValue: Number.NaN }, { stringValue: 'nan' }]]);
  });

  // https://docs.aws.amazon.com/redshift/latest/dg/r_CREATE_VIEW.html (WITH NO SCHEMA BINDING)
  it('keeps a late-binding view through its table being dropped and swapped; it fails only when queried meanwhile', async () => {
    await ok('create schema marts');
    await ok('create table marts.orders (id int, amount decimal(10, 2))');
    await ok('insert into marts.orders values (1, 5.00)');
    await ok('create view marts.orders_v as select id, amount from marts.orders with no schema binding');
    expect(await rows('select id from marts.orders_v')).toEqual([[{ longValue: 1 }]]);
    // The full-table swap: new table, renames, drop of the old one — none of it touches the view.
    await ok('create table marts.orders__new (like marts.orders)');
    await ok('insert into marts.orders__new values (2, 6.00)');
    expect(
      (await batch(['alter table marts.orders rename to orders__old', 'alter table marts.orders__new rename to orders', 'drop table marts.orders__old']))
        .Status,
    ).toBe('FINISHED');
    expect(await rows('select id from marts.orders_v')).toEqual([[{ longValue: 2 }]]);
    await ok('drop table marts.orders');
    expect(await fails('select id from marts.orders_v')).toMatch(/relation "marts.orders" does not exist/);
    await ok('create table marts.orders (id int, amount decimal(10, 2))');
    expect(await rows('select count(*) from marts.orders_v')).toEqual([[{ longValue: 0 }]]);
    // OR REPLACE keeps the columns; a different set needs DROP VIEW first.
    await ok('create or replace view marts.orders_v as select id, amount from marts.orders with no schema binding');
    expect(await fails('create or replace view marts.orders_v as select id from marts.orders with no schema binding')).toMatch(
      /cannot replace view marts.orders_v/,
    );
    // A regular view stays bound: its table cannot be dropped under it.
    await ok('create view marts.orders_bound as select id from marts.orders');
    expect(await fails('drop table marts.orders')).toMatch(/depend/);
  });

  // https://docs.aws.amazon.com/redshift/latest/dg/r_ALTER_TABLE.html, c_Compression_encodings.html
  it('refuses to drop a DISTKEY or SORTKEY column and to widen a VARCHAR whose encoding forbids it', async () => {
    await ok(`create table public.designed (id int, created_at timestamp, name varchar(10) encode bytedict, note varchar(10) encode zstd, plain varchar(10))
              diststyle key distkey(id) compound sortkey(created_at)`);
    expect(await fails('alter table public.designed drop column id')).toBe('ERROR: cannot drop distkey column "id"');
    expect(await fails('alter table public.designed drop column created_at')).toBe('ERROR: cannot drop sortkey column "created_at"');
    expect(await fails('alter table public.designed alter column name type varchar(20)')).toMatch(/encoded BYTEDICT/);
    expect(await fails('alter table public.designed alter column id type bigint')).toMatch(/only the size of a VARCHAR/);
    await ok('alter table public.designed alter column note type varchar(20)');
    // Once one column names an encoding, the others are LZO (VARCHAR), which can widen.
    await ok('alter table public.designed alter column plain type varchar(20)');
    await ok('alter table public.designed drop column note');
    // LIKE copies the keys and encodings.
    await ok('create table public.designed_copy (like public.designed)');
    expect(await fails('alter table public.designed_copy drop column id')).toBe('ERROR: cannot drop distkey column "id"');
    // A table without any ENCODE is ENCODE AUTO: Redshift may have picked BYTEDICT, so no widening…
    await ok('create table public.automatic (code varchar(10))');
    expect(await fails('alter table public.automatic alter column code type varchar(20)')).toMatch(/ENCODE AUTO/);
    // …until the column names an encoding of its own; ALTER DISTKEY moves the key.
    await ok('alter table public.automatic alter column code encode zstd');
    await ok('alter table public.automatic alter column code type varchar(20)');
    await ok('alter table public.designed alter distkey name');
    await ok('alter table public.designed drop column id');
  });

  // https://docs.aws.amazon.com/redshift/latest/dg/r_GRANT.html, r_TRUNCATE.html
  it('accepts the table privileges GRANT documents (DROP too) and refuses others such as ALTER', async () => {
    const role = `grantee_${Date.now()}`;
    await ok(`create role ${role}`);
    try {
      await ok('create table public.granted (id int)');
      await ok(`grant select, insert, update, delete, references, truncate on table public.granted to role ${role}`);
      await ok(`grant drop on public.granted to role ${role}`);
      await ok(`grant select, drop on all tables in schema public to role ${role}`);
      expect(await fails(`grant alter on table public.granted to role ${role}`)).toMatch(/^ERROR: syntax error at or near "alter"/);
      expect(await fails(`grant trigger on table public.granted to role ${role}`)).toMatch(/^ERROR: syntax error at or near "trigger"/);
      await ok(`revoke drop, select on public.granted from role ${role}`);
    } finally {
      await admin.query(`drop owned by ${role}; drop role ${role}`);
    }
  });

  // https://docs.aws.amazon.com/redshift/latest/dg/r_ALTER_TABLE_APPEND.html
  it('runs ALTER TABLE APPEND on its own, never inside a batch’s transaction', async () => {
    await ok('create table public.appended (id int)');
    await ok('create table public.staged (id int)');
    await ok('insert into public.staged values (1), (2)');
    const inBatch = await batch(['insert into public.staged values (3)', 'alter table public.appended append from public.staged']);
    expect(inBatch.Status).toBe('FAILED');
    expect(inBatch.Error).toBe('ERROR: ALTER TABLE APPEND cannot run inside a transaction block');
    await ok('alter table public.appended append from public.staged');
    expect(await rows('select count(*) from public.appended')).toEqual([[{ longValue: 2 }]]);
  });

  // https://docs.aws.amazon.com/redshift/latest/dg/r_SVV_ROLES.html, r_SVV_RELATION_PRIVILEGES.html:
  // "Other users can only see identities they have access to or own."
  it('shows a regular user only the roles and grants of identities it has access to', async () => {
    const hidden = `hidden_role_${Date.now()}`;
    const mine = `mine_role_${Date.now()}`;
    await admin.query(`create role ${hidden}`);
    try {
      await ok(`create role ${mine}`);
      await ok(`create table public.visible_grants (id int)`);
      await ok(`grant select on public.visible_grants to ${mine}`);
      await admin.query(`grant select on public.visible_grants to ${hidden}`);
      const names = async (sql: string, dbUser: string) => (await rows(sql, dbUser)).map((row) => row[0]!.stringValue);
      expect(await names(`select role_name from svv_roles where role_name in ('${hidden}', '${mine}') order by 1`, 'admin')).toEqual([hidden, mine]);
      expect(await names(`select role_name from svv_roles where role_name in ('${hidden}', '${mine}') order by 1`, 'loader')).toEqual([mine]);
      const grantees = `select identity_name from svv_relation_privileges where relation_name = 'visible_grants' and identity_name in ('${hidden}', '${mine}') order by 1`;
      expect(await names(grantees, 'admin')).toEqual([hidden, mine]);
      expect(await names(grantees, 'loader')).toEqual([mine]);
    } finally {
      await admin.query(`drop owned by ${hidden}; drop role ${hidden}`);
      await admin.query(`drop owned by ${mine}; drop role if exists ${mine}`).catch(() => {});
    }
  });
});

describe('the emulator as its own non-superuser identity', () => {
  it('creates the identity, runs as it, and drops it on close', async () => {
    const database = await createTestDatabase('redshift_identity');
    const emulator = await startRedshiftEmulator({ postgresUrl: database.url, s3Endpoint: testS3Endpoint(), nonSuperuser: true });
    const client = new RedshiftDataClient({ endpoint: emulator.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    try {
      expect(emulator.identity).toMatch(/^pgshift_loader_/);
      const { Id } = await client.send(
        new ExecuteStatementCommand({
          ...CLUSTER,
          DbUser: 'loader',
          Sql: 'select current_user::text as who, usesuper from pg_user where usename = current_user',
        }),
      );
      for (let status = ''; !DONE.has(status); ) status = (await client.send(new DescribeStatementCommand({ Id }))).Status!;
      const result = await client.send(new GetStatementResultCommand({ Id }));
      expect(result.Records).toEqual([[{ stringValue: emulator.identity }, { booleanValue: false }]]);
    } finally {
      client.destroy();
      await emulator.close();
      const { rows } = await admin.query('select count(*)::int as n from pg_roles where rolname = $1', [emulator.identity]);
      expect(rows[0].n).toBe(0);
      await admin.end();
      await database.drop();
    }
  });
});

// https://docs.aws.amazon.com/redshift-data/latest/APIReference/CommonErrors.html (ThrottlingException, HTTP 400)
describe('the emulator under throttling', () => {
  let database: TestDatabase;
  let emulator: RedshiftEmulator;

  beforeAll(async () => {
    database = await createTestDatabase('redshift_throttle');
    emulator = await startRedshiftEmulator({ postgresUrl: database.url, s3Endpoint: testS3Endpoint(), throttleEvery: 3 });
  });
  afterAll(async () => {
    await emulator?.close();
    await database?.drop();
  });

  it('answers every third call with ThrottlingException, which the SDK retries unless told not to', async () => {
    const once = new RedshiftDataClient({
      endpoint: emulator.endpoint,
      region: 'us-east-1',
      maxAttempts: 1,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    try {
      const outcomes: string[] = [];
      for (let call = 1; call <= 6; call++) {
        try {
          await once.send(new ExecuteStatementCommand({ ...CLUSTER, DbUser: 'loader', Sql: 'select 1' }));
          outcomes.push('ok');
        } catch (error) {
          const { name, $metadata } = error as { name: string; $metadata: { httpStatusCode?: number } };
          outcomes.push(`${name} ${$metadata.httpStatusCode}`);
        }
      }
      expect(outcomes).toEqual(['ok', 'ok', 'ThrottlingException 400', 'ok', 'ok', 'ThrottlingException 400']);
    } finally {
      once.destroy();
    }
    emulator.setThrottleEvery(2);
    const retrying = new RedshiftDataClient({
      endpoint: emulator.endpoint,
      region: 'us-east-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    try {
      for (let call = 0; call < 3; call++) await retrying.send(new ExecuteStatementCommand({ ...CLUSTER, DbUser: 'loader', Sql: 'select 1' }));
    } finally {
      retrying.destroy();
    }
    emulator.setThrottleEvery(undefined);
  });

  it('throttles a seeded share of one operation only, the same calls on every run', async () => {
    const once = new RedshiftDataClient({
      endpoint: emulator.endpoint,
      region: 'us-east-1',
      maxAttempts: 1,
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    const pattern = async (): Promise<string> => {
      emulator.setThrottle({ share: 0.5, seed: 7, operations: ['DescribeStatement'] });
      const { Id } = await once.send(new ExecuteStatementCommand({ ...CLUSTER, DbUser: 'loader', Sql: 'select 1' }));
      let seen = '';
      for (let call = 0; call < 12; call++) {
        seen += await once.send(new DescribeStatementCommand({ Id })).then(
          () => '.',
          (error: { name: string }) => (error.name === 'ThrottlingException' ? 'T' : '?'),
        );
      }
      expect(emulator.injectedFaults().throttled).toBe([...seen].filter((c) => c === 'T').length);
      return seen;
    };
    try {
      const first = await pattern();
      expect(first).toMatch(/^[.T]{12}$/);
      expect(first).toContain('T');
      expect(first).toContain('.');
      expect(await pattern()).toBe(first);
    } finally {
      emulator.setThrottle({});
      once.destroy();
    }
  });
});
