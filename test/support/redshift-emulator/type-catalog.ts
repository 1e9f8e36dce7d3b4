// Looks up what ColumnMetadata needs but a result row does not carry: type names by oid, and
// the schema, table and NOT NULL flag of columns read straight from a table.

import type pg from 'pg';
import type { ColumnSource, ResultField } from './result-encoding.js';

export class TypeCatalog {
  // Type oids are stable for the life of the database, so names are cached across statements.
  private readonly names = new Map<number, string>();

  async typeNames(client: pg.ClientBase, oids: readonly number[]): Promise<(oid: number) => string> {
    const missing = [...new Set(oids)].filter((oid) => !this.names.has(oid));
    if (missing.length > 0) {
      const { rows } = await client.query<{ oid: number; typname: string }>('select oid::int as oid, typname from pg_type where oid = any($1::oid[])', [
        missing,
      ]);
      for (const row of rows) this.names.set(row.oid, row.typname);
    }
    return (oid) => this.names.get(oid) ?? 'unknown';
  }

  async columnSources(client: pg.ClientBase, fields: readonly ResultField[]): Promise<(field: ResultField) => ColumnSource | undefined> {
    const fromTables = fields.filter((field) => field.tableID > 0);
    const sources = new Map<string, ColumnSource>();
    if (fromTables.length > 0) {
      const { rows } = await client.query<{ relid: number; attnum: number; schema_name: string; table_name: string; column_name: string; not_null: boolean }>(
        `select a.attrelid::int as relid, a.attnum::int as attnum, n.nspname as schema_name, c.relname as table_name, a.attname as column_name, a.attnotnull as not_null
           from pg_attribute a
           join pg_class c on c.oid = a.attrelid
           join pg_namespace n on n.oid = c.relnamespace
          where (a.attrelid, a.attnum) in (select * from unnest($1::oid[], $2::int2[]))`,
        [fromTables.map((field) => field.tableID), fromTables.map((field) => field.columnID)],
      );
      for (const row of rows) {
        sources.set(`${row.relid}:${row.attnum}`, {
          schemaName: row.schema_name,
          tableName: row.table_name,
          columnName: row.column_name,
          notNull: row.not_null,
        });
      }
    }
    return (field) => sources.get(`${field.tableID}:${field.columnID}`);
  }
}
