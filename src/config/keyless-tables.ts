// Tables without a primary key (event and audit logs) are extracted as mode append: each
// interval's batch replaces itself by batch id, so a rerun of a day is idempotent, but nothing
// deduplicates. Every option that needs a row's identity (today: deletes: detect, which compares
// keys) is refused on them here, in the schema, so no later stage meets an append table without
// the key it relies on. soft_delete only names a column and stays allowed.

import type { z } from 'zod';

interface TableKeyFields {
  readonly primary_key?: string | readonly string[];
  readonly mode: 'incremental' | 'full' | 'append';
  readonly deletes: 'detect' | 'ignore';
}

export function checkTableKey(table: TableKeyFields, ctx: z.RefinementCtx): void {
  if (table.mode !== 'append') {
    if (table.primary_key === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['primary_key'],
        message: 'is required: declare the primary_key column(s), or set mode: append for a table without a key (append-only, never deduplicated)',
      });
    }
    return;
  }
  if (table.primary_key !== undefined) {
    ctx.addIssue({
      code: 'custom',
      path: ['primary_key'],
      message: 'must not be set when mode is append; a table with a key is mode incremental, which replaces changed rows by key',
    });
  }
  if (table.deletes === 'detect') {
    ctx.addIssue({ code: 'custom', path: ['deletes'], message: 'needs a primary key to compare; a mode append table has none, so it cannot detect deletes' });
  }
}

/**
 * The table with `lookback` filled in where it was left out, at the place in key order a zod
 * default would have put it (before columns/exclude/pii; pii always has its default), so the
 * parsed table, which a source node's checksum hashes, is the same as with a plain default.
 */
export function withDefaultLookback<T extends { lookback?: string }>(table: T, lookback: string): T {
  if (table.lookback !== undefined) return table;
  const entries = Object.entries(table);
  const at = entries.findIndex(([key]) => key === 'columns' || key === 'exclude' || key === 'pii');
  entries.splice(at === -1 ? entries.length : at, 0, ['lookback', lookback]);
  return Object.fromEntries(entries) as T;
}
