// A partitioned table or an inheritance parent is read with its children (`select … from parent`
// includes every child's rows, once). Configuring the parent and one of its children (at any
// depth) as two tables would store the child's rows twice, so such a pair is refused before
// anything is extracted. Checked once per extract or run, per source connection, over every
// table pgshift.yml configures on that connection (a child extracted on another day duplicates
// rows just the same).

import type { SourceTable } from '../config/project.js';
import { ConfigError } from '../errors.js';
import type { Queryable } from '../sql/queryable.js';

// pg_inherits holds both declarative partitions and inheritance children, one level per row;
// the recursion finds grandchildren (sub-partitions) too.
const DESCENDANTS_SQL = `
with recursive configured as (
  select t.position::int as position, c.oid
    from unnest($1::text[], $2::text[]) with ordinality as t(schema_name, table_name, position)
    join pg_namespace n on n.nspname = t.schema_name
    join pg_class c on c.relnamespace = n.oid and c.relname = t.table_name
), descendants as (
  select configured.position as ancestor, i.inhrelid as oid
    from configured join pg_inherits i on i.inhparent = configured.oid
  union
  select d.ancestor, i.inhrelid from descendants d join pg_inherits i on i.inhparent = d.oid
)
select d.ancestor as parent, c.position as child
  from descendants d join configured c on c.oid = d.oid
 order by 1, 2`;

/**
 * Throws naming both tables when one configured table is a partition or inheritance child of
 * another on the same connection. `selected` picks the connections to check.
 */
export async function refuseParentWithChild(
  selected: readonly SourceTable[],
  configured: readonly SourceTable[],
  poolFor: (table: SourceTable) => { connect(): Promise<Queryable & { release(): void }> },
): Promise<void> {
  const connections = new Map<string, SourceTable>();
  for (const table of selected) if (!connections.has(table.connectionEnv)) connections.set(table.connectionEnv, table);
  for (const [connectionEnv, first] of connections) {
    const tables = configured.filter((table) => table.connectionEnv === connectionEnv);
    if (tables.length < 2) continue;
    // Through connect(), not pool.query(): a connection that fails or hangs is then named, and
    // Ctrl-C abandons its attempt, as for every other source session (connections.ts).
    const client = await poolFor(first).connect();
    let found: { rows: { parent: number; child: number }[] };
    try {
      found = await client.query<{ parent: number; child: number }>(DESCENDANTS_SQL, [
        tables.map((table) => table.sourceSchema),
        tables.map((table) => table.name),
      ]);
    } finally {
      client.release();
    }
    const pair = found.rows[0];
    if (!pair) continue;
    const parent = tables[pair.parent - 1]!;
    const child = tables[pair.child - 1]!;
    throw new ConfigError(
      `pgshift.yml: ${parent.id} and ${child.id} overlap: ${child.sourceSchema}.${child.name} is a partition or inheritance child of ${parent.sourceSchema}.${parent.name}, whose extract already reads its rows, so both would store them twice; remove sources.${child.source}.tables.${child.name} (or the parent) from pgshift.yml`,
      { table: child.id },
    );
  }
}
