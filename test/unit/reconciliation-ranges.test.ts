// The load's side of a batch read in ranges: each range's rows against its own count in the
// snapshot, and the ranges together against the batch, before anything is loaded.

import { describe, expect, it } from 'vitest';
import type { BatchDocument } from '../../src/batch/batch-manifest.js';
import { LoadError } from '../../src/errors.js';
import { reconcile } from '../../src/load/reconciliation.js';

const part = (key: string) => ({ key, bytes: 1 });
const batch = (overrides: Partial<BatchDocument>): BatchDocument =>
  ({
    batch_id: '2026-11-23',
    rows: 30,
    source_rows: 30,
    parts: [part('a/part-00000-00000.csv.gz'), part('a/part-00001-00000.csv.gz')],
    ranges: [
      { index: 0, start_block: 0, end_block: 5, rows: 10, source_rows: 10, parts: 1 },
      { index: 1, start_block: 5, end_block: null, rows: 20, source_rows: 20, parts: 1 },
    ],
    ...overrides,
  }) as BatchDocument;

describe('reconciling a batch read in ranges', () => {
  it('accepts ranges that agree with their counts and add up to the batch', () => {
    expect(reconcile('shop.orders', batch({}), undefined)).toMatchObject({ sourceRows: 30, batchRows: 30 });
  });

  it('refuses a range whose rows differ from its own count, naming it', () => {
    const ranges = batch({}).ranges!.map((range) => (range.index === 1 ? { ...range, source_rows: 21 } : range));
    expect(() => reconcile('shop.orders', batch({ ranges }), undefined)).toThrow(LoadError);
    expect(() => reconcile('shop.orders', batch({ ranges }), undefined)).toThrow(
      'shop.orders: batch 2026-11-23 does not reconcile: range 1 holds 20 rows but the source counted 21; re-extract the interval',
    );
  });

  it('refuses ranges that do not add up to the batch, in rows or in parts', () => {
    expect(() => reconcile('shop.orders', batch({ rows: 31, source_rows: 31 }), undefined)).toThrow(
      /its 2 ranges hold 30 rows in 2 parts, the batch 31 rows in 2 parts/,
    );
    expect(() => reconcile('shop.orders', batch({ parts: [part('a/part-00000-00000.csv.gz')] }), undefined)).toThrow(
      /in 2 parts, the batch 30 rows in 1 parts/,
    );
  });
});
