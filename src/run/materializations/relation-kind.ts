// What already sits at a model's name (table, view, …), read from pg_class: the catalog
// PostgreSQL and Redshift share, so one query serves both warehouses.

import type { StatementOptions, Warehouse } from '../../warehouse/warehouse.js';

export type RelationKind = 'table' | 'view' | 'materialized_view' | 'foreign_table';

const KINDS: Record<string, RelationKind> = { r: 'table', p: 'table', v: 'view', m: 'materialized_view', f: 'foreign_table' };

export async function relationKind(warehouse: Warehouse, schema: string, name: string, options: StatementOptions = {}): Promise<RelationKind | undefined> {
  // Indexes and sequences live in pg_class too; only relations a model could replace count.
  const rows = await warehouse.query<{ kind: string }>(
    `select c.relkind as kind
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = $1 and c.relname = $2 and c.relkind in ('r', 'p', 'v', 'm', 'f')`,
    [schema, name],
    options,
  );
  const kind = rows[0]?.kind;
  return kind === undefined ? undefined : KINDS[String(kind)];
}
