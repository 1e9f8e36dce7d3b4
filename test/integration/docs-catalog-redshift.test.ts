// The catalog docs generate reads on Redshift, through the production adapter on the Data API
// emulator: SVV_COLUMNS for the columns, SVV_TABLES for views, SVV_TABLE_INFO for row counts.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readCatalog } from '../../src/docs-site/index.js';
import type { RedshiftDataWarehouse } from '../../src/warehouse/redshift-data-warehouse.js';
import { emulatedWarehouse } from '../support/emulated-redshift.js';
import { modelNode } from '../support/manifest-nodes.js';
import { type RedshiftEmulator, startRedshiftEmulator } from '../support/redshift-emulator/index.js';
import { createTestDatabase, type TestDatabase, testS3Endpoint } from '../support/test-env.js';

describe('the docs catalog on Redshift', () => {
  let database: TestDatabase;
  let emulator: RedshiftEmulator;
  let warehouse: RedshiftDataWarehouse;

  beforeAll(async () => {
    database = await createTestDatabase('docs_catalog_redshift');
    emulator = await startRedshiftEmulator({ postgresUrl: database.url, s3Endpoint: testS3Endpoint() });
    warehouse = emulatedWarehouse(emulator);
    await warehouse.execute('create schema analytics');
    await warehouse.execute('create table analytics.customer_orders (customer_email varchar(80), orders bigint, revenue numeric(12,2))');
    await warehouse.execute(`insert into analytics.customer_orders values ('a@example.com', 2, 10.50), ('b@example.com', 1, 3.00)`);
    await warehouse.execute('create view analytics.stg_orders as select customer_email from analytics.customer_orders');
  }, 60_000);

  afterAll(async () => {
    await warehouse?.close();
    await emulator?.close();
    await database?.drop();
  });

  it('reads each relation of the manifest: its kind and its columns with Redshift types', async () => {
    const table = modelNode('customer_orders', { materialized: 'table' });
    const view = modelNode('stg_orders', { materialized: 'view' });
    const missing = modelNode('not_built_yet', { materialized: 'table' });
    const catalog = await readCatalog(
      warehouse,
      { nodes: { [table.unique_id]: table, [view.unique_id]: view, [missing.unique_id]: missing }, sources: {} },
      '0.0.0',
    );
    expect(Object.keys(catalog.nodes).sort()).toEqual(['model.shop.customer_orders', 'model.shop.stg_orders']);
    const orders = catalog.nodes['model.shop.customer_orders']!;
    expect(orders.metadata).toMatchObject({ type: 'BASE TABLE', schema: 'analytics', name: 'customer_orders' });
    expect(Object.values(orders.columns).map((column) => [column.name, column.type, column.index])).toEqual([
      ['customer_email', 'character varying(80)', 1],
      ['orders', 'bigint', 2],
      ['revenue', 'numeric(12,2)', 3],
    ]);
    expect(catalog.nodes['model.shop.stg_orders']!.metadata.type).toBe('VIEW');
    expect(catalog.nodes['model.shop.stg_orders']!.stats.has_stats!.value).toBe(false);
  });

  it('leaves the row count unknown, not zero, for a user SVV_TABLE_INFO shows nothing to (not a superuser)', async () => {
    const table = modelNode('customer_orders', { materialized: 'table' });
    const catalog = await readCatalog(warehouse, { nodes: { [table.unique_id]: table }, sources: {} }, '0.0.0');
    expect(catalog.nodes[table.unique_id]!.stats).toEqual({
      has_stats: { id: 'has_stats', label: 'Has Stats?', value: false, include: false, description: 'Indicates whether there are statistics for this table' },
    });
  });
});
