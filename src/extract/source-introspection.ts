// Reads a source table's shape from the PostgreSQL catalog: columns with their exact types,
// the primary key, and whether the cursor column leads an index (an unindexed cursor makes
// every daily extract a full scan). A partitioned table's primary key and indexes are
// partitioned indexes, which pg_index lists on the parent like any other.

import { ExtractError } from '../errors.js';
import type { Queryable } from '../sql/queryable.js';
import type { SourceColumn } from '../batch/source-column.js';

export type { SourceColumn };

export interface SourceTableShape {
  readonly schema: string;
  readonly name: string;
  readonly columns: readonly SourceColumn[];
  readonly primaryKey: readonly string[];
  readonly indexedLeadingColumns: ReadonlySet<string>;
  /** pg_class.relkind: r table, p partitioned table, v view, m materialized view, f foreign table. */
  readonly relkind: 'r' | 'p' | 'v' | 'm' | 'f';
}

const TYPE_KINDS: Record<string, string> = { b: 'base', e: 'enum', d: 'domain', c: 'composite', r: 'range', m: 'multirange', p: 'pseudo' };

export async function introspectSourceTable(client: Queryable, schema: string, table: string, tableId: string): Promise<SourceTableShape> {
  const relation = await client.query<{ oid: number; relkind: SourceTableShape['relkind'] }>(
    `select c.oid::int as oid, c.relkind
       from pg_class c join pg_namespace n on n.oid = c.relnamespace
      where n.nspname = $1 and c.relname = $2 and c.relkind in ('r', 'p', 'v', 'm', 'f')`,
    [schema, table],
  );
  const found = relation.rows[0];
  if (!found) {
    throw new ExtractError(
      `${tableId}: table ${schema}.${table} does not exist in the source database; check sources.${tableId.replace('.', '.tables.')} in pgshift.yml`,
      { table: tableId, phase: 'introspect' },
    );
  }
  const columns = await client.query<{
    name: string;
    type: string;
    udt: string;
    typtype: string;
    category: string;
    base_type: string | null;
    not_null: boolean;
    builtin: boolean;
  }>(
    `select a.attname as name,
            format_type(a.atttypid, a.atttypmod) as type,
            t.typname as udt,
            t.typtype,
            t.typcategory as category,
            case when t.typtype = 'd' then format_type(t.typbasetype, t.typtypmod)
                 when t.typcategory = 'A' then format_type(t.typelem, null) end as base_type,
            a.attnotnull as not_null,
            coalesce(e.typnamespace, t.typnamespace) = 'pg_catalog'::regnamespace as builtin
       from pg_attribute a join pg_type t on t.oid = a.atttypid
       left join pg_type e on e.oid = t.typelem and t.typcategory = 'A'
      where a.attrelid = $1 and a.attnum > 0 and not a.attisdropped
      order by a.attnum`,
    [found.oid],
  );
  const primaryKey = await client.query<{ name: string }>(
    `select a.attname as name
       from pg_index i
       join lateral unnest(i.indkey) with ordinality as k(attnum, position) on true
       join pg_attribute a on a.attrelid = i.indrelid and a.attnum = k.attnum
      where i.indrelid = $1 and i.indisprimary
      order by k.position`,
    [found.oid],
  );
  const indexed = await client.query<{ name: string }>(
    `select distinct a.attname as name
       from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = i.indkey[0]
      where i.indrelid = $1`,
    [found.oid],
  );
  return {
    schema,
    name: table,
    columns: columns.rows.map((row) => ({
      name: row.name,
      type: row.type,
      udt: row.udt,
      kind: TYPE_KINDS[row.typtype] ?? row.typtype,
      category: row.category,
      baseType: row.base_type ?? undefined,
      nullable: !row.not_null,
      builtin: row.builtin,
    })),
    primaryKey: primaryKey.rows.map((row) => row.name),
    indexedLeadingColumns: new Set(indexed.rows.map((row) => row.name)),
    relkind: found.relkind,
  };
}
