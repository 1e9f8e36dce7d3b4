import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LoadError } from '../../src/errors.js';
import { intervalFromFlags } from '../../src/batch/interval.js';
import { loadTableBatch } from '../../src/load/load-batch.js';
import { createLoadFixture, type LoadFixture } from '../support/load-fixture.js';
import { ALL_TYPES_COLUMNS, createAllTypesTable } from '../support/all-types-table.js';

const day = intervalFromFlags({ date: '2026-11-23' });

describe('loading into the PostgreSQL warehouse', () => {
  let fx: LoadFixture;

  beforeAll(async () => {
    fx = await createLoadFixture('load_pg');
    await createAllTypesTable(fx.source);
    await fx.source.query(`
      create table orders (id int primary key, status varchar(10), amount numeric(10,2), updated_at timestamptz not null);
      insert into orders select g, 'new', g, '2026-11-23 10:00:00+00' from generate_series(1, 1000) g;
      create table products (id int primary key, name text);
      insert into products select g, 'p' || g from generate_series(1, 20) g;
      create table people (id int primary key, email text, national_id text, updated_at timestamptz not null);
      insert into people values (1, 'a@example.com', '12345678901', '2026-11-23 01:00:00+00'), (2, 'b@example.com', null, '2026-11-23 02:00:00+00');
      create table "Select" ("Order" int primary key, "From" text, "MixedCase" text, updated_at timestamptz);
      insert into "Select" values (1, 'a', 'B', '2026-11-23 01:00:00+00');`);
    fx.useTables(`      all_types: { primary_key: id, cursor: updated_at }
      orders: { primary_key: id, cursor: updated_at }
      products: { primary_key: id, mode: full }
      Select: { primary_key: Order, cursor: updated_at }
      people: { primary_key: id, cursor: updated_at, pii: { email: email, national_id: secret } }`);
  });
  afterAll(async () => fx?.close());

  const sourceChecksum = (sql: string) =>
    fx.source.query(`select count(*)::int as n, md5(string_agg(t::text, '|' order by id)) as sum from (${sql}) t`).then((r) => r.rows[0]);
  const rawChecksum = (sql: string) =>
    fx.warehouseDb.query(`select count(*)::int as n, md5(string_agg(t::text, '|' order by id)) as sum from (${sql}) t`).then((r) => r.rows[0]);

  it('keeps every value of every type exactly (native types on PostgreSQL)', async () => {
    const result = await fx.extractAndLoad('shop.all_types', day);
    expect(result.relation).toBe('raw.all_types');
    const columns = ALL_TYPES_COLUMNS.map((column) => `${column}::text as ${column}`).join(', ');
    const source = await fx.source.query(`select ${columns} from all_types order by id`);
    const raw = await fx.warehouseDb.query(`select ${columns} from raw.all_types order by id`);
    expect(raw.rows).toEqual(source.rows);
    expect(raw.rows.length).toBeGreaterThanOrEqual(8);
    const types = await fx.warehouse.describeTable('raw', 'all_types');
    expect(types).toContainEqual({ name: 'n_ps', type: 'numeric(38,10)' });
    expect(types).toContainEqual({ name: 'mood', type: 'text' });
    expect(types).toContainEqual({ name: 'arr_int', type: 'integer[]' });
    expect(types).toContainEqual({ name: '_pgshift_batch_id', type: 'character varying(64)' });
  });

  it('replaces a batch when the same interval is loaded twice, never duplicating', async () => {
    await fx.extractAndLoad('shop.orders', day);
    await fx.source.query(`update orders set status = 'paid', updated_at = '2026-11-23 11:00:00+00' where id <= 10`);
    await fx.extractAndLoad('shop.orders', day);
    expect(await rawChecksum('select id, status, amount from raw.orders')).toEqual(await sourceChecksum('select id, status, amount from orders'));
    const batches = await fx.warehouseDb.query(`select batch_id, rows, status from pgshift_meta.batches where table_name = 'orders'`);
    expect(batches.rows).toEqual([{ batch_id: '2026-11-23', rows: '1000', status: 'loaded' }]);
  });

  it('rolls everything back when the load fails between COPY and commit', async () => {
    await fx.extractAndLoad('shop.orders', day);
    const before = await rawChecksum('select id, status, amount from raw.orders');
    await fx.source.query(`update orders set status = 'late', updated_at = '2026-11-23 12:00:00+00' where id between 11 and 20`);
    // A trigger on the batch record fails the transaction after the rows are copied.
    await fx.warehouseDb.query(`create function fail_batch() returns trigger language plpgsql as $$ begin raise exception 'injected failure before commit'; end $$;
      create trigger fail_batch before insert on pgshift_meta.batches for each row execute function fail_batch();`);
    await expect(fx.extractAndLoad('shop.orders', day)).rejects.toThrow(/injected failure before commit/);
    expect(await rawChecksum('select id, status, amount from raw.orders')).toEqual(before);
    await fx.warehouseDb.query('drop trigger fail_batch on pgshift_meta.batches');
    await fx.extractAndLoad('shop.orders', day);
    expect(await rawChecksum('select id, status, amount from raw.orders')).toEqual(await sourceChecksum('select id, status, amount from orders'));
  });

  it('refuses a batch whose row count does not match batch.json, naming both numbers', async () => {
    await fx.extractAndLoad('shop.orders', day);
    const { GetObjectCommand, PutObjectCommand } = await import('@aws-sdk/client-s3');
    const { listKeys } = await import('../support/s3-objects.js');
    // The published attempt's batch.json: the only attempt folder left after the extract.
    const key = (await listKeys(fx.bucket.client, fx.bucket.bucket, 'batches/shop/orders/2026-11-23/')).find((name) => name.endsWith('/batch.json'))!;
    const batch = JSON.parse(await (await fx.bucket.client.send(new GetObjectCommand({ Bucket: fx.bucket.bucket, Key: key }))).Body!.transformToString());
    await fx.bucket.client.send(
      new PutObjectCommand({ Bucket: fx.bucket.bucket, Key: key, Body: JSON.stringify({ ...batch, rows: batch.rows + 5, source_rows: batch.rows + 5 }) }),
    );
    const before = await rawChecksum('select id, status from raw.orders');
    const load = loadTableBatch(fx.table('shop.orders'), day, { warehouse: fx.warehouse, s3: fx.bucket.client, staging: fx.project.staging, rawSchema: 'raw' });
    await expect(load).rejects.toBeInstanceOf(LoadError);
    await expect(load).rejects.toThrow('raw.orders: loaded 1000 rows for batch 2026-11-23, but batch.json counts 1005; rolled back');
    expect(await rawChecksum('select id, status from raw.orders')).toEqual(before);
  });

  it('refuses a batch without a manifest', async () => {
    const load = loadTableBatch(fx.table('shop.orders'), intervalFromFlags({ date: '2026-11-01' }), {
      warehouse: fx.warehouse,
      s3: fx.bucket.client,
      staging: fx.project.staging,
      rawSchema: 'raw',
    });
    await expect(load).rejects.toThrow(
      /^shop\.orders: batch 2026-11-01 has no manifest \(s3:\/\/.*\/batches\/shop\/orders\/2026-11-01\/manifest\.json\), so it is incomplete; run pgshift extract for this interval first$/,
    );
  });

  it('replaces a full-mode table atomically', async () => {
    await fx.extractAndLoad('shop.products', day);
    await fx.source.query(`delete from products where id > 10; update products set name = 'renamed' where id = 1`);
    await fx.extractAndLoad('shop.products', day);
    expect(await rawChecksum('select id, name from raw.products')).toEqual(await sourceChecksum('select id, name from products'));
  });

  it('follows schema drift: added column, dropped column, widened varchar', async () => {
    await fx.extractAndLoad('shop.orders', day);
    await fx.source.query(`alter table orders add column channel text; alter table orders drop column amount; alter table orders alter column status type varchar(40);
      update orders set channel = 'web', status = 'a much longer status value', updated_at = '2026-11-23 13:00:00+00' where id = 1`);
    const result = await fx.extractAndLoad('shop.orders', day);
    expect(result.ddl).toEqual([
      'alter table "raw"."orders" alter column "status" type character varying(40)',
      'alter table "raw"."orders" add column "channel" text',
    ]);
    const { rows } = await fx.warehouseDb.query(`select id, status, amount, channel from raw.orders where id in (1, 2) order by id`);
    expect(rows).toEqual([
      { id: 1, status: 'a much longer status value', amount: null, channel: 'web' },
      { id: 2, status: 'paid', amount: null, channel: null },
    ]);
  });

  it('stops a table whose column type changed incompatibly, saying how to resolve it', async () => {
    await fx.source.query(`alter table orders alter column channel type integer using null`);
    await expect(fx.extractAndLoad('shop.orders', day)).rejects.toThrow(
      `shop.orders: column channel changed type in the source: raw.orders holds text, the batch now needs integer. Keep the history with 'alter table "raw"."orders" rename column "channel" to "channel_old"' (or drop the column) and load again; the column is recreated with the new type`,
    );
  });

  it('never lets a secret column leave the source in clear: neither the S3 parts nor raw hold it', async () => {
    const { createHash } = await import('node:crypto');
    const { listKeys, readGunzipped } = await import('../support/s3-objects.js');
    await fx.extractAndLoad('shop.people', day);
    const part = (await listKeys(fx.bucket.client, fx.bucket.bucket, 'batches/shop/people/2026-11-23/')).find((name) => name.endsWith('/part-00000.csv.gz'))!;
    const csv = (await readGunzipped(fx.bucket.client, fx.bucket.bucket, part)).toString();
    expect(csv).not.toContain('12345678901');
    const hashed = createHash('sha256').update('pgshift-development-pii-key|12345678901').digest('hex');
    expect(csv).toContain(hashed);
    const { rows } = await fx.warehouseDb.query('select id, email, national_id from raw.people order by id');
    expect(rows).toEqual([
      { id: 1, email: 'a@example.com', national_id: hashed },
      { id: 2, email: 'b@example.com', national_id: null },
    ]);
    const types = await fx.warehouse.describeTable('raw', 'people');
    expect(types).toContainEqual({ name: 'national_id', type: 'text' });
  });

  it('handles mixed-case and reserved-word schema, table and column names', async () => {
    const result = await fx.extractAndLoad('shop.Select', day);
    expect(result.relation).toBe('raw.Select');
    const { rows } = await fx.warehouseDb.query(`select "Order", "From", "MixedCase" from raw."Select"`);
    expect(rows).toEqual([{ Order: 1, From: 'a', MixedCase: 'B' }]);
  });
});
