// How one table is read in parallel: which block (ctid) ranges, and on how many connections at
// once. Pure: the catalog facts come in as numbers. Ranges split `0 .. pages` evenly; the last
// one is open-ended, so pages added after the size was read are covered too.

import { MAX_SLICES } from '../config/project-schema.js';
import { partCount } from './part-count.js';

export interface BlockRange {
  /** 0-based: names the range's part files and orders them. */
  readonly index: number;
  readonly startBlock: number;
  /** Exclusive; absent on the last range, which reads to the end of the table. */
  readonly endBlock?: number;
}

/**
 * `ranges` block ranges over `pages` blocks, each at least one block. Range i starts at
 * floor(i × pages / ranges); the last has no end. With `span` (the blocks that hold a window's
 * rows), the ranges split the span instead, the first still starting at block 0 and the last
 * still open-ended, so together they cover every block whatever the span says.
 */
export function splitBlocks(pages: number, ranges: number, span?: BlockSpan): BlockRange[] {
  const from = span ? Math.max(0, Math.floor(span.startBlock)) : 0;
  const blocks = span ? Math.max(1, Math.floor(span.endBlock) - from) : Math.floor(pages);
  const count = Math.max(1, Math.min(Math.floor(ranges), blocks));
  const start = (i: number) => (i === 0 ? 0 : from + Math.floor((i * blocks) / count));
  return Array.from({ length: count }, (_, index) => ({
    index,
    startBlock: start(index),
    ...(index < count - 1 ? { endBlock: start(index + 1) } : {}),
  }));
}

/** The blocks from `startBlock` to `endBlock` (exclusive) that hold a batch's rows. */
export interface BlockSpan {
  readonly startBlock: number;
  readonly endBlock: number;
}

/**
 * Compressed CSV bytes per byte of heap, for sizing parts before reading: an assumption (gzip -1
 * of the bench table's CSV came to 0.23 of its heap: 91 MB of 392 MB). Parts may be anywhere in
 * 1 MB–1 GB, so an estimate off by a few times still lands in range.
 */
export const COMPRESSED_BYTES_PER_HEAP_BYTE = 0.33;

export interface SlicePlanInput {
  /** pg_class.relkind; only plain tables and materialized views have ctid ranges of their own. */
  readonly relkind: string;
  /** pg_class.relpersistence: another session cannot read a temporary table. */
  readonly persistence: string;
  /** The table's blocks (pg_relation_size / block size). */
  readonly pages: number;
  readonly heapBytes: number;
  /** The share of the table's rows the batch reads: 1 for a full extract, window rows / table rows otherwise. */
  readonly share: number;
  /** A window's rows lie in these blocks (min and max ctid): the ranges split them, not the whole table. */
  readonly span?: BlockSpan;
  /** `slices:` of the table, or --slices. */
  readonly requested: number | 'auto';
  readonly cores: number;
  readonly warehouseSlices: number;
  readonly targetPartBytes: number;
}

export interface SlicePlan {
  /** Undefined: one COPY of the whole batch, parts rotated by size as before slicing. */
  readonly ranges?: readonly BlockRange[];
  /** Connections reading ranges at once. */
  readonly workers: number;
  readonly estimatedBytes: number;
  /** Why the batch is read whole, for the log. */
  readonly whole?: string;
}

export function planSlices(input: SlicePlanInput): SlicePlan {
  const estimatedBytes = Math.round(input.heapBytes * Math.min(1, Math.max(0, input.share)) * COMPRESSED_BYTES_PER_HEAP_BYTE);
  if (input.relkind !== 'r' && input.relkind !== 'm') return { workers: 1, estimatedBytes, whole: 'not a plain table (no ctid ranges of its own)' };
  if (input.persistence === 't') return { workers: 1, estimatedBytes, whole: 'a temporary table, visible to one session only' };
  const wanted = input.requested === 'auto' ? autoSlices(input.cores) : input.requested;
  const pages = input.span ? Math.max(1, input.span.endBlock - input.span.startBlock) : input.pages;
  if (pages < wanted) return { workers: 1, estimatedBytes, whole: `fewer pages (${pages}) than slices (${wanted})` };
  const parts = partCount({ estimatedBytes, warehouseSlices: input.warehouseSlices, targetPartBytes: input.targetPartBytes, atLeast: wanted });
  // A range holds one block at least; fewer blocks than parts keep the count a multiple of the slices.
  const slices = Math.max(1, Math.floor(input.warehouseSlices));
  const ranges = parts <= pages ? parts : Math.floor(pages / slices) * slices;
  if (ranges <= 1) return { workers: 1, estimatedBytes, whole: 'small enough for one part file' };
  return { ranges: splitBlocks(input.pages, ranges, input.span), workers: Math.max(1, Math.min(wanted, ranges)), estimatedBytes };
}

/** `slices: auto`: one connection per core, up to MAX_SLICES (each range costs a core for gzip). */
export function autoSlices(cores: number): number {
  return Math.max(1, Math.min(MAX_SLICES, Math.floor(cores)));
}
