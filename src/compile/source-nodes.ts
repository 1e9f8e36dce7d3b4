// Source nodes: one per table listed under `sources:` in pgshift.yml (what pgshift extracts
// and loads into the raw schema), described further by `sources:` blocks of schema.yml, and one
// per table of a source only dbt YAML declares (loaded by something else; pgshift reads it).

import type { Project, SourceTable } from '../config/project.js';
import { ConfigError } from '../errors.js';
import { quoteQualified } from '../sql/quote-ident.js';
import { checksumOf } from './checksum.js';
import { columnInfos } from './columns.js';
import { validateConfigLayer } from './config-layer.js';
import type { ColumnInfo, SourceNode } from '../manifest/manifest.js';
import { mergeConfigLayers, resolveSourceConfig } from '../manifest/node-config.js';
import type { SourcePatch, SourceTablePatch } from './schema-yml.js';
import { didYouMeanAside } from '../util/suggest.js';

export interface SourceBuild {
  readonly node: SourceNode;
  /** pgshift.yml's table; undefined for a source only dbt YAML declares. */
  readonly table: SourceTable | undefined;
  readonly patch: SourceTablePatch | undefined;
}

export function sourceUniqueId(sourceName: string, tableName: string): string {
  return `source.${sourceName}.${tableName}`;
}

interface TablePatch {
  readonly source: SourcePatch;
  readonly table: SourceTablePatch;
}

/**
 * Builds every source node. A schema.yml table of a source pgshift.yml defines must be one of
 * its tables (a typo would otherwise read a table nobody loads), and where pgshift loads a
 * table is not the YAML's to move: a schema or identifier that disagrees is an error.
 */
export function buildSourceNodes(project: Project, patches: readonly SourcePatch[]): SourceBuild[] {
  const tablesBySource = new Map<string, Map<string, SourceTable>>();
  for (const table of project.tables) {
    if (!tablesBySource.has(table.source)) tablesBySource.set(table.source, new Map());
    tablesBySource.get(table.source)!.set(table.name, table);
  }
  const tablePatches = new Map<string, TablePatch>();
  const yamlOnly: TablePatch[] = [];
  for (const source of patches) {
    const tables = tablesBySource.get(source.name);
    for (const table of source.tables) {
      if (tables && !tables.has(table.name)) {
        throw new ConfigError(
          `${source.file}: ${table.keyPath} describes table '${source.name}.${table.name}', which pgshift.yml does not list${didYouMeanAside(table.name, tables.keys())}; a table pgshift does not extract belongs to a source pgshift.yml does not define`,
          { file: source.file },
        );
      }
      const id = sourceUniqueId(source.name, table.name);
      const seen = tablePatches.get(id);
      if (seen) {
        throw new ConfigError(`${source.file}: ${table.keyPath} is already described in ${seen.table.file} (${seen.table.keyPath})`, { file: source.file });
      }
      tablePatches.set(id, { source, table });
      if (tables) refuseMovedTable(project, source, table);
      else yamlOnly.push({ source, table });
    }
  }
  const extracted = project.tables.map((table): SourceBuild => {
    const patch = tablePatches.get(sourceUniqueId(table.source, table.name));
    const node: SourceNode = {
      ...sourceNodeBase(project, table.source, table.name, patch),
      // pgshift.yml's table entry and its schema.yml description together define the source.
      checksum: checksumOf(JSON.stringify({ table: project.raw.sources[table.source]?.tables[table.name], patch: patch?.table ?? null })),
      table_id: table.id,
      extracted: true,
      source_schema: table.sourceSchema,
      schema: project.rawSchema,
      database: null,
      identifier: table.name,
      relation_name: quoteQualified(project.rawSchema, table.name),
      columns: withTablePii(columnInfos(patch?.table.columns ?? []), table),
      deletes: { hard: table.deletes === 'detect', soft_column: table.softDeleteColumn ?? null },
      primary_key: table.mode === 'append' ? null : table.primaryKey,
    };
    return { node, table, patch: patch?.table };
  });
  const declared = yamlOnly.map(({ source, table }): SourceBuild => {
    const schema = foldUnquoted(source.schema ?? source.name, source.quoting.schema);
    const identifier = foldUnquoted(table.identifier ?? table.name, table.quoting.identifier ?? source.quoting.identifier);
    const database = source.database === undefined ? null : foldUnquoted(source.database, source.quoting.database);
    const node: SourceNode = {
      ...sourceNodeBase(project, source.name, table.name, { source, table }),
      checksum: checksumOf(JSON.stringify({ source: { ...source, tables: undefined }, table })),
      table_id: `${source.name}.${table.name}`,
      extracted: false,
      source_schema: null,
      schema,
      database,
      identifier,
      // A database only when the YAML names one: Redshift reads another database of the
      // cluster with a three-part name (https://docs.aws.amazon.com/redshift/latest/dg/cross-database-overview.html).
      relation_name: database === null ? quoteQualified(schema, identifier) : quoteQualified(database, schema, identifier),
      columns: columnInfos(table.columns),
      deletes: { hard: false, soft_column: null },
      primary_key: null,
    };
    return { node, table: undefined, patch: table };
  });
  return [...extracted, ...declared];
}

type NodeBase = Omit<
  SourceNode,
  'checksum' | 'table_id' | 'extracted' | 'source_schema' | 'schema' | 'database' | 'identifier' | 'relation_name' | 'columns' | 'deletes' | 'primary_key'
>;

/** What every source node takes from its names and its YAML: config, tags, docs, freshness. */
function sourceNodeBase(project: Project, sourceName: string, tableName: string, patch: TablePatch | undefined): NodeBase {
  const layers = [patch?.source.config, patch?.table.config].map((raw, index) => {
    if (raw === undefined) return {};
    const where = index === 0 ? `${patch!.source.keyPath}.config` : `${patch!.table.keyPath}.config`;
    const result = validateConfigLayer('source', raw, where);
    if (!result.ok) throw new ConfigError(`${patch!.table.file}: ${result.problem}`, { file: patch!.table.file });
    return result.layer;
  });
  const config = resolveSourceConfig(mergeConfigLayers({ tags: patch?.source.tags ?? [] }, { tags: patch?.table.tags ?? [] }, ...layers));
  const freshness = patch?.table.freshness !== undefined ? patch.table.freshness : (patch?.source.freshness ?? null);
  return {
    unique_id: sourceUniqueId(sourceName, tableName),
    resource_type: 'source',
    name: `source:${sourceName}.${tableName}`,
    package_name: project.name,
    fqn: [project.name, sourceName, tableName],
    path: patch?.table.file ?? 'pgshift.yml',
    original_file_path: patch?.table.file ?? 'pgshift.yml',
    depends_on: { nodes: [], macros: [] },
    tags: config.tags,
    description: patch?.table.description || patch?.source.description || '',
    meta: { ...patch?.source.meta, ...patch?.table.meta, ...config.meta },
    config,
    source_name: sourceName,
    table_name: tableName,
    loader: patch?.source.loader ?? '',
    loaded_at_field: patch?.table.loadedAtField ?? patch?.source.loadedAtField ?? null,
    freshness,
    patch_path: patch?.table.file ?? null,
  };
}

/**
 * pgshift loads an extracted table into `raw_schema`.<table name>; YAML that says the table is
 * elsewhere would make models read a table nobody loads.
 */
function refuseMovedTable(project: Project, source: SourcePatch, table: SourceTablePatch): void {
  const moved =
    source.schema !== undefined && source.schema !== project.rawSchema
      ? `schema: ${source.schema} (${source.keyPath})`
      : table.identifier !== undefined && table.identifier !== table.name
        ? `identifier: ${table.identifier} (${table.keyPath})`
        : undefined;
  if (!moved) return;
  throw new ConfigError(
    `${source.file}: source '${source.name}.${table.name}' sets ${moved}, but pgshift extracts it into ${quoteQualified(project.rawSchema, table.name)}; leave the key out, or leave the table out of pgshift.yml if something else loads it`,
    { file: source.file },
  );
}

/** `quoting: false`: the warehouse folds an unquoted name to lower case; pgshift still quotes, the folded name. */
function foldUnquoted(name: string, quoted: boolean | undefined): string {
  return quoted === false ? name.toLowerCase() : name;
}

/** pgshift.yml's `pii:` classes of a table, on the source's columns (schema.yml meta wins). */
function withTablePii(columns: Record<string, ColumnInfo>, table: SourceTable): Record<string, ColumnInfo> {
  const merged = { ...columns };
  for (const [column, pii] of Object.entries(table.pii)) {
    const known = merged[column];
    merged[column] = known
      ? { ...known, pii: known.pii ?? pii }
      : { name: column, description: '', meta: {}, data_type: null, tags: [], quote: false, pii, constraints: [] };
  }
  return merged;
}
