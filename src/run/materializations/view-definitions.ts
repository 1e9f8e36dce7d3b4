// The definitions of the project's views as the run found them, read once before any node runs.
// On PostgreSQL a view is bound to the tables it reads, so rebuilding one of those tables drops
// the view with CASCADE (table-plan.ts planSwap) before the view's own node runs; if the view's
// new definition then fails its audit, this is what puts the published definition back.
// Redshift's default late-binding views are never dropped by a swap, so nothing is read there.

import { relationKey } from '../../manifest/index.js';
import type { StatementOptions, Warehouse } from '../../warehouse/warehouse.js';

export async function readViewDefinitions(
  warehouse: Warehouse,
  views: readonly { readonly schema: string; readonly alias: string }[],
  options: StatementOptions = {},
): Promise<Map<string, string>> {
  const definitions = new Map<string, string>();
  if (warehouse.dialect !== 'postgres' || views.length === 0) return definitions;
  const wanted = new Set(views.map((view) => relationKey(view.schema, view.alias)));
  const rows = await warehouse.query<{ schema_name: string; relation_name: string; definition: string }>(
    `select n.nspname as schema_name, c.relname as relation_name, pg_get_viewdef(c.oid) as definition
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where c.relkind = 'v' and n.nspname = any($1)`,
    [[...new Set(views.map((view) => view.schema))]],
    options,
  );
  for (const row of rows) {
    const key = relationKey(row.schema_name, row.relation_name);
    if (wanted.has(key)) definitions.set(key, row.definition.replace(/[\s;]+$/u, ''));
  }
  return definitions;
}
