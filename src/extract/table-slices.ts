// Whether one table's batch is read in ranges, and on how many connections: the catalog's size
// facts through slice-plan.ts, a window's share of the table, and the connections the source's
// pool can spare.

import { availableParallelism } from 'node:os';
import type pg from 'pg';
import type { SourceTable, StagingSettings } from '../config/project.js';
import type { ExtractPlan } from './extract-plan.js';
import { planSlices, type SlicePlan } from './slice-plan.js';
import type { SourceTableShape } from './source-introspection.js';
import { readTableSize } from './table-size.js';

/**
 * Whether and how the batch is split in ranges. A window's share of the table comes from its
 * count in the snapshot, taken only when the whole table is big enough to split at all.
 */
export async function planTableSlices(
  client: pg.PoolClient,
  table: SourceTable,
  shape: SourceTableShape,
  plan: ExtractPlan,
  context: { readonly staging: StagingSettings },
): Promise<{ plan: SlicePlan; readonly windowRows?: number }> {
  const size = await readTableSize(client, shape.schema, shape.name);
  const settings = {
    relkind: shape.relkind,
    persistence: size.persistence,
    pages: size.pages,
    heapBytes: size.heapBytes,
    requested: table.slices,
    cores: availableParallelism(),
    warehouseSlices: context.staging.warehouseSlices,
    targetPartBytes: context.staging.partSizeBytes,
  };
  const whole = planSlices({ ...settings, share: 1 });
  if (!plan.window || !whole.ranges) return { plan: whole };
  // One pass over the window: its rows, and the blocks they lie in (a window of recent rows sits
  // in the table's last blocks; splitting the whole table would give most ranges nothing).
  const found = (
    await client.query<{ rows: string; low: string | null; high: string | null }>(
      `select count(*)::bigint as rows, min(ctid)::text as low, max(ctid)::text as high ${plan.fromWhere}`,
    )
  ).rows[0]!;
  const windowRows = Number(found.rows);
  const share = size.estimatedRows > 0 ? windowRows / Math.max(size.estimatedRows, windowRows) : 1;
  const low = blockOf(found.low);
  const high = blockOf(found.high);
  const span = low !== undefined && high !== undefined ? { startBlock: low, endBlock: high + 1 } : undefined;
  return { plan: planSlices({ ...settings, share, span }), windowRows };
}

/** The block number of a tid's text `(block,offset)`. */
function blockOf(tid: string | null): number | undefined {
  const match = tid ? /^\((\d+),\d+\)$/.exec(tid) : null;
  return match ? Number(match[1]) : undefined;
}

/**
 * Connections the ranges may take besides the one holding the snapshot: a pg Pool's `max` less
 * that one, so ranges never wait on a pool the snapshot's own session keeps full.
 */
export function rangeConnections(source: object): number {
  const max = (source as { options?: { max?: unknown } }).options?.max;
  return typeof max === 'number' ? max - 1 : Number.POSITIVE_INFINITY;
}
