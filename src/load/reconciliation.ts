// Reconciliation: for every table and interval, the source's row count for the extract window
// (under the extract's snapshot), the rows in the S3 batch, the rows loaded into raw and the
// tombstones recorded. The extract refuses to publish a batch whose COPY disagrees with the
// source's count, and the load's transaction refuses a raw count that differs from the batch's;
// this module checks what batch.json reports and words the numbers for records and errors.

import type { BatchDocument } from '../batch/batch-manifest.js';
import { LoadError } from '../errors.js';
import type { DeleteDetection } from './delete-detection.js';

export interface Reconciliation {
  /** `count(*)` of the window at the snapshot; absent for batches written before it was recorded. */
  readonly sourceRows?: number;
  readonly batchRows: number;
  /** Rows the load put in raw for the batch (its tombstones apart); set once the load committed. */
  readonly loadedRows?: number;
  readonly tombstones: number;
  /** `deletes: detect`: the source's keys, and raw's live keys before the batch. */
  readonly sourceKeys?: number;
  readonly liveKeys?: number;
  /** Source keys raw holds as deleted: rows restored with a cursor outside the window. */
  readonly returnedKeys?: number;
}

export function reconcile(tableId: string, batch: BatchDocument, deletes: DeleteDetection | undefined): Reconciliation {
  const counts: Reconciliation = {
    sourceRows: batch.source_rows,
    batchRows: batch.rows,
    tombstones: deletes?.vanished ?? 0,
    ...(batch.keys ? { sourceKeys: batch.keys.rows, liveKeys: deletes?.live } : {}),
    ...(deletes && deletes.returned > 0 ? { returnedKeys: deletes.returned } : {}),
  };
  // A batch read in ranges reconciles range by range too: each range's rows against its own
  // count, and the ranges together against the batch.
  const ranges = batch.ranges ?? [];
  const badRange = ranges.find((range) => range.rows !== range.source_rows);
  const rangeRows = ranges.reduce((total, range) => total + range.rows, 0);
  const rangeParts = ranges.reduce((total, range) => total + range.parts, 0);
  if (ranges.length > 0 && (badRange || rangeRows !== batch.rows || rangeParts !== batch.parts.length)) {
    const what = badRange
      ? `range ${badRange.index} holds ${badRange.rows} rows but the source counted ${badRange.source_rows}`
      : `its ${ranges.length} ranges hold ${rangeRows} rows in ${rangeParts} parts, the batch ${batch.rows} rows in ${batch.parts.length} parts`;
    throw new LoadError(`${tableId}: batch ${batch.batch_id} does not reconcile: ${what}; re-extract the interval`, { table: tableId, batch: batch.batch_id });
  }
  if (batch.source_rows !== undefined && batch.source_rows !== batch.rows) {
    throw new LoadError(`${tableId}: batch ${batch.batch_id} does not reconcile: ${describeCounts(counts)}; re-extract the interval`, {
      table: tableId,
      batch: batch.batch_id,
    });
  }
  return counts;
}

/** `source 500, batch 500, loaded 500, tombstones 2 (keys 498 in the source, 500 live in raw)`. */
export function describeCounts(counts: Reconciliation): string {
  const known = (value: number | undefined) => (value === undefined ? 'unknown' : String(value));
  const keys = counts.sourceKeys !== undefined ? ` (keys: ${counts.sourceKeys} in the source, ${known(counts.liveKeys)} live in raw before)` : '';
  return `source ${known(counts.sourceRows)}, batch ${counts.batchRows}, loaded ${counts.loadedRows === undefined ? 'none (rolled back)' : counts.loadedRows}, tombstones ${counts.tombstones}${keys}`;
}
