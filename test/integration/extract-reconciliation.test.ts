// The extract's side of reconciliation: in one snapshot, the source's count of the window, the
// COPY's count and the CSV rows written must agree, or no batch is published. A view whose rows
// depend on the statement reading it is such a case.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { intervalFromFlags } from '../../src/batch/interval.js';
import { ConfigError, ExtractError } from '../../src/errors.js';
import { extractTableToS3 } from '../../src/extract/extract-table.js';
import { createLoadFixture, type LoadFixture } from '../support/load-fixture.js';
import { listKeys } from '../support/s3-objects.js';

const day = intervalFromFlags({ date: '2026-11-23' });

describe('extract reconciliation', () => {
  let fx: LoadFixture;

  beforeAll(async () => {
    fx = await createLoadFixture('extract_counts');
    await fx.source.query(`
      create table orders (id int primary key, status text, removed_at timestamptz, updated_at timestamptz not null);
      insert into orders select g, 'new', null, '2026-11-23 10:00:00+00' from generate_series(1, 50) g;
      -- Rows only for statements that are not a count: what an unstable view definition can do.
      create view shifting_orders as select * from orders where current_query() not like '%count(*)%';`);
  });
  afterAll(async () => fx?.close());

  const extract = (id: string) => extractTableToS3(fx.table(id), day, { source: fx.source, s3: fx.bucket.client, staging: fx.project.staging });

  it('records the source count next to the batch rows', async () => {
    fx.useTables('      orders: { primary_key: id, cursor: updated_at }');
    const result = await extract('shop.orders');
    expect({ rows: result.rows, source_rows: result.document.source_rows }).toEqual({ rows: 50, source_rows: 50 });
  });

  it('publishes nothing when the source count and the COPY disagree, naming every number', async () => {
    fx.useTables('      shifting_orders: { primary_key: id, cursor: updated_at }');
    const failed = extract('shop.shifting_orders');
    await expect(failed).rejects.toBeInstanceOf(ExtractError);
    await expect(failed).rejects.toThrow(
      /shop\.shifting_orders: counts disagree for the window \[2026-11-22T23:00:00\.000Z, 2026-11-24T00:00:00\.000Z\): the source holds 0 rows in the snapshot, COPY reported 50, 50 CSV rows were written; the batch is not trustworthy and was not published/,
    );
    expect(await listKeys(fx.bucket.client, fx.bucket.bucket, 'batches/shop/shifting_orders/')).toEqual([]);
  });

  it('refuses a soft_delete column the table does not have', async () => {
    fx.useTables('      orders: { primary_key: id, cursor: updated_at, soft_delete: deleted_at }');
    const failed = extract('shop.orders');
    await expect(failed).rejects.toBeInstanceOf(ConfigError);
    await expect(failed).rejects.toThrow(/sources\.shop\.tables\.orders\.soft_delete: column 'deleted_at' does not exist in public\.orders/);
    fx.useTables('      orders: { primary_key: id, cursor: updated_at, soft_delete: status }');
    await expect(extract('shop.orders')).rejects.toThrow(/soft_delete: column 'status' is text; a soft-delete column must be timestamptz, timestamp or date/);
    fx.useTables('      orders: { primary_key: id, cursor: updated_at, soft_delete: removed_at }');
    expect((await extract('shop.orders')).rows).toBe(50);
  });
});
