// Source nodes: one per table listed under `sources:` in pgshift.yml (what pgshift extracts
// and loads into the raw schema), described further by `sources:` blocks of schema.yml.

import type { Project, SourceTable } from '../config/project.js';
import { ConfigError } from '../errors.js';
import { quoteQualified } from '../sql/quote-ident.js';
import { checksumOf } from './checksum.js';
import { columnInfos } from './columns.js';
import { validateConfigLayer } from './config-layer.js';
import type { ColumnInfo, SourceNode } from '../manifest/manifest.js';
import { mergeConfigLayers, resolveSourceConfig } from '../manifest/node-config.js';
import type { SourcePatch, SourceTablePatch } from './schema-yml.js';
import { didYouMean, didYouMeanAside } from '../util/suggest.js';

export interface SourceBuild {
  readonly node: SourceNode;
  readonly table: SourceTable;
  readonly patch: SourceTablePatch | undefined;
}

export function sourceUniqueId(sourceName: string, tableName: string): string {
  return `source.${sourceName}.${tableName}`;
}

/** Builds every source node; schema.yml entries for sources or tables pgshift.yml lacks are errors. */
export function buildSourceNodes(project: Project, patches: readonly SourcePatch[]): SourceBuild[] {
  const tablesBySource = new Map<string, Map<string, SourceTable>>();
  for (const table of project.tables) {
    if (!tablesBySource.has(table.source)) tablesBySource.set(table.source, new Map());
    tablesBySource.get(table.source)!.set(table.name, table);
  }
  const tablePatches = new Map<string, { source: SourcePatch; table: SourceTablePatch }>();
  for (const source of patches) {
    const tables = tablesBySource.get(source.name);
    if (!tables) {
      throw new ConfigError(
        `${source.file}: ${source.keyPath} describes source '${source.name}', which pgshift.yml does not define${didYouMeanAside(source.name, tablesBySource.keys())}; sources are declared under sources: in pgshift.yml`,
        { file: source.file },
      );
    }
    for (const table of source.tables) {
      if (!tables.has(table.name)) {
        throw new ConfigError(
          `${source.file}: ${table.keyPath} describes table '${source.name}.${table.name}', which pgshift.yml does not list${didYouMean(table.name, tables.keys())}`,
          { file: source.file },
        );
      }
      const id = sourceUniqueId(source.name, table.name);
      const seen = tablePatches.get(id);
      if (seen) {
        throw new ConfigError(`${source.file}: ${table.keyPath} is already described in ${seen.table.file} (${seen.table.keyPath})`, { file: source.file });
      }
      tablePatches.set(id, { source, table });
    }
  }
  return project.tables.map((table) => {
    const uniqueId = sourceUniqueId(table.source, table.name);
    const patch = tablePatches.get(uniqueId);
    const layers = [patch?.source.config, patch?.table.config].map((raw, index) => {
      if (raw === undefined) return {};
      const where = index === 0 ? `${patch!.source.keyPath}.config` : `${patch!.table.keyPath}.config`;
      const result = validateConfigLayer('source', raw, where);
      if (!result.ok) throw new ConfigError(`${patch!.table.file}: ${result.problem}`, { file: patch!.table.file });
      return result.layer;
    });
    const config = resolveSourceConfig(mergeConfigLayers({ tags: patch?.source.tags ?? [] }, { tags: patch?.table.tags ?? [] }, ...layers));
    const freshness = patch?.table.freshness !== undefined ? patch.table.freshness : (patch?.source.freshness ?? null);
    const node: SourceNode = {
      unique_id: uniqueId,
      resource_type: 'source',
      name: `source:${table.id}`,
      package_name: project.name,
      fqn: [project.name, table.source, table.name],
      path: patch?.table.file ?? 'pgshift.yml',
      original_file_path: patch?.table.file ?? 'pgshift.yml',
      depends_on: { nodes: [], macros: [] },
      tags: config.tags,
      description: patch?.table.description || patch?.source.description || '',
      meta: { ...patch?.source.meta, ...patch?.table.meta, ...config.meta },
      // pgshift.yml's table entry and its schema.yml description together define the source.
      checksum: checksumOf(JSON.stringify({ table: project.raw.sources[table.source]?.tables[table.name], patch: patch?.table ?? null })),
      config,
      source_name: table.source,
      identifier: table.name,
      table_id: table.id,
      source_schema: table.sourceSchema,
      schema: project.rawSchema,
      relation_name: quoteQualified(project.rawSchema, table.name),
      loaded_at_field: patch?.table.loadedAtField ?? patch?.source.loadedAtField ?? null,
      freshness,
      columns: withTablePii(columnInfos(patch?.table.columns ?? []), table),
      patch_path: patch?.table.file ?? null,
      deletes: { hard: table.deletes === 'detect', soft_column: table.softDeleteColumn ?? null },
    };
    return { node, table, patch: patch?.table };
  });
}

/** pgshift.yml's `pii:` classes of a table, on the source's columns (schema.yml meta wins). */
function withTablePii(columns: Record<string, ColumnInfo>, table: SourceTable): Record<string, ColumnInfo> {
  const merged = { ...columns };
  for (const [column, pii] of Object.entries(table.pii)) {
    const known = merged[column];
    merged[column] = known ? { ...known, pii: known.pii ?? pii } : { name: column, description: '', meta: {}, data_type: null, tags: [], quote: false, pii };
  }
  return merged;
}
