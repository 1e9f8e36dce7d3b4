// Reads the catalog of the relations a manifest names: one query per schema through the
// Warehouse (catalog-sql.ts), kept only for the relations the project builds or reads.

import { randomUUID } from 'node:crypto';
import type { Manifest } from '../manifest/manifest.js';
import { dbtUniqueId } from '../manifest/dbt-unique-id.js';
import type { Warehouse } from '../warehouse/warehouse.js';
import type { Catalog, CatalogStat, CatalogTable } from './catalog.js';
import { POSTGRES_CATALOG_SQL, REDSHIFT_CATALOG_SQL } from './catalog-sql.js';

interface CatalogRow {
  readonly table_name: string;
  readonly table_type: string;
  readonly table_owner: string | null;
  readonly column_name: string;
  readonly column_index: number | string;
  readonly column_type: string;
  readonly row_count: number | string | null;
}

/** A relation of the manifest: where it lives and under which key of catalog.json. */
interface NamedRelation {
  readonly uniqueId: string;
  readonly kind: 'nodes' | 'sources';
  readonly schema: string;
  readonly name: string;
}

export function relationsOf(manifest: Pick<Manifest, 'nodes' | 'sources'>): NamedRelation[] {
  const relations: NamedRelation[] = [];
  for (const node of Object.values(manifest.nodes)) {
    // Tests and unit tests build no relation.
    if (node.resource_type === 'test' || node.resource_type === 'unit_test') continue;
    if (node.resource_type === 'model' && node.relation_name === null) continue;
    relations.push({ uniqueId: node.unique_id, kind: 'nodes', schema: node.schema, name: node.alias });
  }
  for (const source of Object.values(manifest.sources)) {
    // Keyed as target/manifest.json names the source (source.<project>.<source>.<table>), so tools join the two.
    relations.push({ uniqueId: dbtUniqueId(source), kind: 'sources', schema: source.schema, name: source.identifier });
  }
  return relations;
}

/** An empty catalog (`--empty-catalog`), or the shell the warehouse's answers go into. */
export function emptyCatalog(version: string, generatedAt = new Date()): Catalog {
  return {
    metadata: {
      dbt_schema_version: 'https://schemas.getdbt.com/dbt/catalog/v1.json',
      pgshift_version: version,
      generated_at: generatedAt.toISOString(),
      invocation_id: randomUUID(),
      env: {},
    },
    nodes: {},
    sources: {},
    errors: null,
  };
}

/** The catalog of every relation of `manifest` that exists in the warehouse; missing ones are left out, as dbt does. */
export async function readCatalog(warehouse: Warehouse, manifest: Pick<Manifest, 'nodes' | 'sources'>, version: string): Promise<Catalog> {
  const catalog = emptyCatalog(version);
  const bySchema = new Map<string, NamedRelation[]>();
  for (const relation of relationsOf(manifest)) {
    const list = bySchema.get(relation.schema) ?? [];
    list.push(relation);
    bySchema.set(relation.schema, list);
  }
  const sql = warehouse.dialect === 'redshift' ? REDSHIFT_CATALOG_SQL : POSTGRES_CATALOG_SQL;
  const nodes: Record<string, CatalogTable> = {};
  const sources: Record<string, CatalogTable> = {};
  for (const [schema, relations] of [...bySchema].sort(([a], [b]) => a.localeCompare(b))) {
    const rows = await warehouse.query<CatalogRow>(sql, [schema]);
    const tables = tablesOf(schema, rows);
    for (const relation of relations) {
      const table = tables.get(relation.name);
      if (table) (relation.kind === 'nodes' ? nodes : sources)[relation.uniqueId] = { ...table, unique_id: relation.uniqueId };
    }
  }
  return { ...catalog, nodes, sources };
}

function tablesOf(schema: string, rows: readonly CatalogRow[]): Map<string, Omit<CatalogTable, 'unique_id'>> {
  const tables = new Map<string, { metadata: CatalogTable['metadata']; columns: CatalogTable['columns']; stats: CatalogTable['stats'] }>();
  for (const row of rows) {
    let table = tables.get(row.table_name);
    if (!table) {
      table = {
        metadata: { type: row.table_type, schema, name: row.table_name, database: null, comment: null, owner: row.table_owner },
        columns: {},
        stats: statsOf(row.row_count),
      };
      tables.set(row.table_name, table);
    }
    table.columns[row.column_name] = { type: row.column_type, index: Number(row.column_index), name: row.column_name, comment: null };
  }
  return tables;
}

function statsOf(rowCount: number | string | null): Record<string, CatalogStat> {
  const known = rowCount !== null && rowCount !== undefined;
  const stats: Record<string, CatalogStat> = {
    has_stats: { id: 'has_stats', label: 'Has Stats?', value: known, include: false, description: 'Indicates whether there are statistics for this table' },
  };
  if (known) {
    stats.row_count = {
      id: 'row_count',
      label: 'Approximate Row Count',
      value: Number(rowCount),
      include: true,
      description: "The warehouse's estimate of the rows in this table",
    };
  }
  return stats;
}
