// The range split of a table read in parallel, the part-count rule of AWS's COPY guidance, and
// the per-range memory budget: pure functions, checked on their edges.

import { describe, expect, it } from 'vitest';
import { parseProject } from '../../src/config/load-project.js';
import { MAX_PART_BYTES, MIN_PART_BYTES, partCount } from '../../src/extract/part-count.js';
import { rangeStatements } from '../../src/extract/range-statements.js';
import { planSlices, splitBlocks, type SlicePlanInput } from '../../src/extract/slice-plan.js';

const MB = 1024 * 1024;

describe('splitBlocks', () => {
  it('covers 0 .. pages without gap or overlap, the last range open-ended', () => {
    for (const [pages, ranges] of [
      [10, 3],
      [7, 7],
      [1000, 8],
      [3, 2],
    ] as const) {
      const split = splitBlocks(pages, ranges);
      expect(split).toHaveLength(ranges);
      expect(split[0]!.startBlock).toBe(0);
      for (let i = 1; i < split.length; i += 1) expect(split[i]!.startBlock).toBe(split[i - 1]!.endBlock);
      expect(split.at(-1)!.endBlock).toBeUndefined();
      for (const range of split.slice(0, -1)) expect(range.endBlock! - range.startBlock).toBeGreaterThanOrEqual(1);
      expect(split.map((range) => range.index)).toEqual([...Array(ranges).keys()]);
    }
  });

  it('splits evenly: block counts differ by one at most', () => {
    const split = splitBlocks(10, 3);
    expect(split).toEqual([
      { index: 0, startBlock: 0, endBlock: 3 },
      { index: 1, startBlock: 3, endBlock: 6 },
      { index: 2, startBlock: 6 },
    ]);
  });

  it("splits a window's span of blocks, still from block 0 and open-ended", () => {
    expect(splitBlocks(1000, 2, { startBlock: 600, endBlock: 800 })).toEqual([
      { index: 0, startBlock: 0, endBlock: 700 },
      { index: 1, startBlock: 700 },
    ]);
    expect(splitBlocks(1000, 4, { startBlock: 0, endBlock: 2 })).toHaveLength(2);
  });

  it('never makes more ranges than blocks, nor fewer than one', () => {
    expect(splitBlocks(2, 5)).toHaveLength(2);
    expect(splitBlocks(0, 4)).toEqual([{ index: 0, startBlock: 0 }]);
  });
});

describe('partCount (a multiple of the warehouse slices, parts 1 MB–1 GB)', () => {
  it('keeps a small batch one file', () => {
    expect(partCount({ estimatedBytes: 500_000, warehouseSlices: 1, targetPartBytes: 64 * MB })).toBe(1);
    // Under 1 MB per warehouse slice: splitting would make parts below 1 MB.
    expect(partCount({ estimatedBytes: 3 * MB, warehouseSlices: 4, targetPartBytes: 64 * MB, atLeast: 4 })).toBe(1);
  });

  it('aims at the target part size in multiples of the slices', () => {
    expect(partCount({ estimatedBytes: 1024 * MB, warehouseSlices: 4, targetPartBytes: 64 * MB })).toBe(16);
    expect(partCount({ estimatedBytes: 100 * MB, warehouseSlices: 4, targetPartBytes: 64 * MB })).toBe(4);
    expect(partCount({ estimatedBytes: 100 * MB, warehouseSlices: 3, targetPartBytes: 10 * MB })).toBe(9);
  });

  it('splits at least into the slices asked for, while parts stay ≥ 1 MB', () => {
    expect(partCount({ estimatedBytes: 20 * MB, warehouseSlices: 1, targetPartBytes: 64 * MB, atLeast: 8 })).toBe(8);
    expect(partCount({ estimatedBytes: 20 * MB, warehouseSlices: 4, targetPartBytes: 64 * MB, atLeast: 6 })).toBe(8);
    // 5 MB over 2 slices: at most 2 × 2 parts of ≥ 1 MB, however many are asked for.
    expect(partCount({ estimatedBytes: 5 * MB, warehouseSlices: 2, targetPartBytes: 64 * MB, atLeast: 8 })).toBe(4);
  });

  it('always answers a multiple of the slices within the size limits once split', () => {
    for (const slices of [1, 2, 3, 16, 32])
      for (const mb of [slices + 1, 50, 999, 5_000, 100_000])
        for (const target of [1, 64, 4_096]) {
          const parts = partCount({ estimatedBytes: mb * MB, warehouseSlices: slices, targetPartBytes: target * MB, atLeast: 2 });
          expect(parts % slices).toBe(0);
          expect((mb * MB) / parts).toBeGreaterThanOrEqual(MIN_PART_BYTES);
          expect((mb * MB) / parts).toBeLessThanOrEqual(MAX_PART_BYTES);
        }
  });
});

describe('planSlices', () => {
  const big: SlicePlanInput = {
    relkind: 'r',
    persistence: 'p',
    pages: 64_000,
    heapBytes: 64_000 * 8192,
    share: 1,
    requested: 2,
    cores: 2,
    warehouseSlices: 1,
    targetPartBytes: 64 * MB,
  };

  it('reads a large table in ranges on the slices asked for', () => {
    const plan = planSlices(big);
    expect(plan.workers).toBe(2);
    expect(plan.ranges!.length % 1).toBe(0);
    expect(plan.ranges!.length).toBeGreaterThanOrEqual(2);
  });

  it('falls back to one range for views, temporary tables, small tables and fewer pages than slices', () => {
    expect(planSlices({ ...big, relkind: 'v' }).ranges).toBeUndefined();
    expect(planSlices({ ...big, relkind: 'p' }).ranges).toBeUndefined();
    expect(planSlices({ ...big, persistence: 't' }).ranges).toBeUndefined();
    expect(planSlices({ ...big, pages: 3, heapBytes: 3 * 8192 }).ranges).toBeUndefined();
    expect(planSlices({ ...big, requested: 8, pages: 5, heapBytes: 500 * MB }).whole).toMatch(/fewer pages \(5\) than slices \(8\)/);
    expect(planSlices({ ...big, requested: 1 }).workers).toBe(1);
  });

  it('sizes a window by its share of the table', () => {
    const whole = planSlices({ ...big, warehouseSlices: 2, targetPartBytes: 8 * MB });
    const window = planSlices({ ...big, warehouseSlices: 2, targetPartBytes: 8 * MB, share: 0.1 });
    expect(window.ranges!.length).toBeLessThan(whole.ranges!.length);
    expect(window.ranges!.length % 2).toBe(0);
  });

  it("counts a window's span, not the table, against the slices", () => {
    expect(planSlices({ ...big, requested: 4, share: 0.5, span: { startBlock: 100, endBlock: 102 } }).whole).toMatch(/fewer pages \(2\) than slices \(4\)/);
    const plan = planSlices({ ...big, share: 0.5, span: { startBlock: 32_000, endBlock: 64_000 } });
    expect(plan.ranges![1]!.startBlock).toBeGreaterThan(32_000);
  });

  it('slices: auto takes one connection per core, up to 8', () => {
    expect(planSlices({ ...big, requested: 'auto', cores: 2 }).workers).toBe(2);
    expect(planSlices({ ...big, requested: 'auto', cores: 64 }).workers).toBe(8);
  });
});

describe('rangeStatements', () => {
  const plan = { selectList: '"id"', relation: '"public"."t"', windowPredicate: '"u" < x' };

  it('bounds a range by its first and next blocks, the last one open-ended, inside the window', () => {
    const middle = rangeStatements(plan, { index: 1, startBlock: 10, endBlock: 20 });
    expect(middle.copySql).toBe(
      `copy (select "id" from "public"."t" where "u" < x and ctid >= (select current_setting('pgshift.range_start')::tid) and ctid < (select current_setting('pgshift.range_end')::tid)) to stdout with (format csv, null '\\N')`,
    );
    expect(middle.settings).toEqual({ 'pgshift.range_start': '(10,0)', 'pgshift.range_end': '(20,0)' });
    const last = rangeStatements({ ...plan, windowPredicate: undefined }, { index: 2, startBlock: 20 });
    expect(last.countSql).toBe(`select count(*)::bigint as rows from "public"."t" where ctid >= (select current_setting('pgshift.range_start')::tid)`);
    expect(last.settings).toEqual({ 'pgshift.range_start': '(20,0)' });
  });
});

describe('slices in pgshift.yml', () => {
  const project = (table: string, staging = '{ bucket: b }') =>
    parseProject(`name: p\nsources: { s: { tables: { t: ${table} } } }\nstaging: ${staging}\ntargets: { dev: { type: postgres } }\n`, 'pgshift.yml');

  it('defaults to auto and one warehouse slice', () => {
    const parsed = project('{ primary_key: id, mode: full }');
    expect(parsed.tables[0]!.slices).toBe('auto');
    expect(parsed.staging.warehouseSlices).toBe(1);
    expect(parsed.staging.rangeUploadBuffers).toBe(2);
    expect(project('{ primary_key: id, mode: full, slices: 4 }', '{ bucket: b, warehouse_slices: 16 }')).toMatchObject({
      tables: [{ slices: 4 }],
      staging: { warehouseSlices: 16 },
    });
  });

  it('refuses more than 8 slices, naming the key', () => {
    expect(() => project('{ primary_key: id, mode: full, slices: 9 }')).toThrow(/sources\.s\.tables\.t\.slices/);
  });
});
