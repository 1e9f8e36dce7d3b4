// The catalog facts that size a table's ranges: its heap's blocks and bytes now (not
// pg_class.relpages, which is only as fresh as the last VACUUM or ANALYZE), the planner's row
// estimate, and whether it is temporary (one session only).

import type { Queryable } from '../sql/queryable.js';

export interface TableSize {
  readonly pages: number;
  readonly heapBytes: number;
  /** pg_class.reltuples: -1 when never vacuumed or analyzed. */
  readonly estimatedRows: number;
  readonly persistence: string;
}

export async function readTableSize(client: Queryable, schema: string, name: string): Promise<TableSize> {
  const { rows } = await client.query<{ bytes: string; block: number; reltuples: number; persistence: string }>(
    `select pg_relation_size(c.oid)::bigint as bytes, current_setting('block_size')::int as block, c.reltuples::float8 as reltuples,
            c.relpersistence as persistence
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = $1 and c.relname = $2`,
    [schema, name],
  );
  const row = rows[0];
  if (!row) return { pages: 0, heapBytes: 0, estimatedRows: -1, persistence: 'p' };
  const heapBytes = Number(row.bytes);
  return { pages: Math.floor(heapBytes / row.block), heapBytes, estimatedRows: Number(row.reltuples), persistence: row.persistence };
}
