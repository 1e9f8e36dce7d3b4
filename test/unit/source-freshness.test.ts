import { describe, expect, it } from 'vitest';
import type { Manifest, SourceNode } from '../../src/manifest/index.js';
import { checkFreshness } from '../../src/run/source-freshness.js';
import type { Warehouse } from '../../src/warehouse/warehouse.js';

const source = {
  unique_id: 'source.shop.orders',
  schema: 'raw',
  identifier: 'orders',
  relation_name: '"raw"."orders"',
  loaded_at_field: '_pgshift_extracted_at',
  freshness: { warn_after: { count: 12, period: 'hour' }, error_after: { count: 1, period: 'day' }, filter: null },
} as unknown as SourceNode;
const manifest = { sources: { [source.unique_id]: source } } as unknown as Manifest;

function warehouseReturning(maxLoadedAt: string | null, seen: string[] = []): Warehouse {
  return {
    query: async (sql: string) => {
      seen.push(sql);
      return [{ max_loaded_at: maxLoadedAt }];
    },
  } as unknown as Warehouse;
}

describe('source freshness', () => {
  const now = new Date('2026-11-24T12:00:00Z');

  it('passes, warns and errors by the age of the newest loaded row', async () => {
    const seen: string[] = [];
    expect((await checkFreshness(warehouseReturning('2026-11-24 06:00:00+00', seen), manifest, [source.unique_id], now))[0]).toMatchObject({
      status: 'pass',
      ageSeconds: 21600,
    });
    expect(seen[0]).toBe('select max("_pgshift_extracted_at") as max_loaded_at from "raw"."orders"');
    expect((await checkFreshness(warehouseReturning('2026-11-23 20:00:00+00'), manifest, [source.unique_id], now))[0]!.status).toBe('warn');
    expect((await checkFreshness(warehouseReturning('2026-11-22 20:00:00+00'), manifest, [source.unique_id], now))[0]).toMatchObject({
      status: 'error',
      message: 'newest _pgshift_extracted_at is 40.0 h old',
    });
  });

  it('is an error when nothing has been loaded', async () => {
    expect((await checkFreshness(warehouseReturning(null), manifest, [source.unique_id], now))[0]).toMatchObject({
      status: 'error',
      message: '"raw"."orders" has no rows',
    });
  });
});
