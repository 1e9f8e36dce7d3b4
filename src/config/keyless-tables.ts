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
