import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intervalFromFlags } from '../../src/batch/interval.js';
import { ALL_TYPES_COLUMNS, createAllTypesTable } from '../support/all-types-table.js';
import { createLoadFixture, type LoadFixture } from '../support/load-fixture.js';
import { startRedshiftEmulator, type RedshiftEmulator } from '../support/redshift-emulator/index.js';
import { testS3Endpoint } from '../support/test-env.js';
import { emulatedWarehouse } from '../support/emulated-redshift.js';

const day = intervalFromFlags({ date: '2026-11-23' });

// Redshift cannot hold some values the way PostgreSQL does; these are the documented
// normalisations the comparison applies to the source side (see README, "Type mapping").
const SOURCE_AS_REDSHIFT: Record<string, string> = {
  n_free: 'n_free::numeric(38,10)::text', // unconstrained numeric → numeric(38,10)
  ch: "ch::text || repeat(' ', 5 - length(ch))", // char(n) → varchar keeps the blank padding
};

describe('extract + load through the Redshift adapter (Data API emulator)', () => {
  let fx: LoadFixture;
  let emulator: RedshiftEmulator;

  beforeAll(async () => {
    fx = await createLoadFixture('load_rs');
    emulator = await startRedshiftEmulator({ postgresUrl: fx.warehouseUrl, s3Endpoint: testS3Endpoint() });
    await fx.warehouse.close();
    fx.warehouse = emulatedWarehouse(emulator, { name: 'emulated' });
    await createAllTypesTable(fx.source, { withLargeText: false });
    // Values Redshift's numeric(38,10) cannot hold, kept out of the exact comparison.
    await fx.source.query(`update all_types set n_free = 12345.6789 where id = 2; update all_types set n_free = null where id = 4;
      create table big_text (id int primary key, t text, updated_at timestamptz not null);
      insert into big_text values (1, repeat('x', 200000), '2026-11-23 01:00:00+00');
      create table orders (id int primary key, status text, updated_at timestamptz not null);
      insert into orders select g, 'new', '2026-11-23 10:00:00+00' from generate_series(1, 300) g;
      create table products (id int primary key, name text);
      insert into products select g, 'p' || g from generate_series(1, 20) g;`);
    fx.useTables(`      all_types: { primary_key: id, cursor: updated_at }
      big_text: { primary_key: id, cursor: updated_at }
      orders: { primary_key: id, cursor: updated_at }
      products: { primary_key: id, mode: full }`);
  });
  afterAll(async () => {
    await fx?.close();
    await emulator?.close();
  });

  it('loads every type, with only the documented normalisations', async () => {
    const result = await fx.extractAndLoad('shop.all_types', day);
    expect(result.rows).toBe(8);
    const sourceColumns = ALL_TYPES_COLUMNS.map((column) => `${SOURCE_AS_REDSHIFT[column] ?? `${column}::text`} as ${column}`).join(', ');
    const rawColumns = ALL_TYPES_COLUMNS.map((column) => `${column}::text as ${column}`).join(', ');
    // Intervals travel as ISO-8601 text; compare the source in the same style.
    await fx.source.query(`set intervalstyle = 'iso_8601'`);
    const client = await fx.source.connect();
    try {
      await client.query(`set intervalstyle = 'iso_8601'`);
      const source = await client.query(`select ${sourceColumns} from all_types order by id`);
      const raw = await fx.warehouseDb.query(`select ${rawColumns} from raw.all_types order by id`);
      expect(raw.rows).toEqual(source.rows);
    } finally {
      client.release();
    }
    const types = await fx.warehouse.describeTable('raw', 'all_types');
    expect(types).toContainEqual({ name: 'js', type: 'character varying(65535)' });
    expect(types).toContainEqual({ name: 'u', type: 'character(36)' });
  });

  it('fails a batch holding a text value over 65,535 bytes, loading nothing of it', async () => {
    await expect(fx.extractAndLoad('shop.big_text', day)).rejects.toThrow(/shop\.big_text|raw\.big_text/);
    const { rows } = await fx.warehouseDb.query('select count(*)::int as n from raw.big_text');
    expect(rows[0].n).toBe(0);
  });

  it('replaces a batch on rerun and a full-mode table by swapping it in', async () => {
    await fx.extractAndLoad('shop.orders', day);
    await fx.source.query(`update orders set status = 'paid', updated_at = '2026-11-23 11:00:00+00' where id <= 10`);
    await fx.extractAndLoad('shop.orders', day);
    const orders = await fx.warehouseDb.query(`select count(*)::int as n, count(*) filter (where status = 'paid')::int as paid from raw.orders`);
    expect(orders.rows[0]).toEqual({ n: 300, paid: 10 });

    await fx.extractAndLoad('shop.products', day);
    await fx.source.query('delete from products where id > 5');
    await fx.extractAndLoad('shop.products', day);
    const products = await fx.warehouseDb.query('select count(*)::int as n from raw.products');
    expect(products.rows[0].n).toBe(5);
    const batches = await fx.warehouseDb.query(`select table_name, rows::int, status from pgshift_meta.batches where status = 'loaded' order by table_name`);
    expect(batches.rows).toEqual([
      { table_name: 'all_types', rows: 8, status: 'loaded' },
      { table_name: 'orders', rows: 300, status: 'loaded' },
      { table_name: 'products', rows: 5, status: 'loaded' },
    ]);
  });

  it('sent the Redshift COPY through the Data API, with the sort key on the cursor', () => {
    const sql = emulator.statements().map((statement) => statement.sql);
    expect(sql.some((text) => /^copy "raw"\."orders" .* from 's3:\/\/.*\/manifest\.json'/is.test(text) && /manifest/i.test(text))).toBe(true);
    expect(sql.some((text) => /create table if not exists "raw"\."orders"[\s\S]*compound sortkey \("updated_at"\)/.test(text))).toBe(true);
  });
});
