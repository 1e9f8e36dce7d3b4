// What the documentation site shows, taken from the manifest and the catalog: the lineage
// graph's nodes (sources → seeds and models → exposures) laid out in columns by depth, and
// for each its description, columns (type, description, tests, PII class) and compiled SQL.

import type { Manifest, TestNode } from '../manifest/manifest.js';
import type { Catalog, CatalogTable } from './catalog.js';

export type SiteNodeKind = 'source' | 'seed' | 'snapshot' | 'model' | 'exposure';

export interface SiteColumn {
  readonly name: string;
  readonly type: string | null;
  readonly description: string;
  readonly pii: string | null;
  readonly tests: string[];
}

export interface SiteNode {
  readonly id: string;
  readonly kind: SiteNodeKind;
  readonly name: string;
  /** `schema.relation`, or null for an ephemeral model or an exposure. */
  readonly relation: string | null;
  readonly description: string;
  readonly materialized: string | null;
  readonly path: string | null;
  readonly columns: SiteColumn[];
  /** Tests on the node itself, not on one column. */
  readonly tests: string[];
  readonly compiledSql: string | null;
  readonly rowCount: number | null;
  readonly parents: string[];
  readonly children: string[];
  /** Graph column (0: no parent shown) and row within it. */
  readonly depth: number;
  readonly row: number;
}

export interface SiteModel {
  readonly projectName: string;
  readonly generatedAt: string;
  readonly nodes: SiteNode[];
}

type Draft = Omit<SiteNode, 'children' | 'depth' | 'row'>;

export function siteModel(manifest: Manifest, catalog: Catalog): SiteModel {
  const testsOn = testsByNode(manifest);
  const drafts: Draft[] = [];
  for (const source of Object.values(manifest.sources)) {
    const table = catalog.sources[source.unique_id];
    drafts.push({
      id: source.unique_id,
      kind: 'source',
      name: `${source.source_name}.${source.table_name}`,
      relation: `${source.schema}.${source.identifier}`,
      description: source.description,
      materialized: null,
      path: source.patch_path,
      columns: columnsOf(source.columns, table, testsOn.get(source.unique_id)),
      tests: testsOn.get(source.unique_id)?.get(null) ?? [],
      compiledSql: null,
      rowCount: rowCountOf(table),
      parents: [],
    });
  }
  for (const node of Object.values(manifest.nodes)) {
    if (node.resource_type === 'test' || node.resource_type === 'unit_test') continue;
    const table = catalog.nodes[node.unique_id];
    const isModel = node.resource_type === 'model';
    drafts.push({
      id: node.unique_id,
      kind: node.resource_type,
      name: node.name,
      relation: isModel && node.relation_name === null ? null : `${node.schema}.${node.alias}`,
      description: node.description,
      materialized: node.resource_type === 'model' ? node.config.materialized : node.resource_type,
      path: node.original_file_path,
      columns: columnsOf(node.columns, table, testsOn.get(node.unique_id)),
      tests: testsOn.get(node.unique_id)?.get(null) ?? [],
      compiledSql: node.resource_type === 'seed' ? null : node.compiled_code,
      rowCount: rowCountOf(table),
      parents: node.depends_on.nodes,
    });
  }
  const shown = new Set(drafts.map((draft) => draft.id));
  for (const exposure of Object.values(manifest.exposures ?? {})) {
    const definition = exposure.definition;
    drafts.push({
      id: exposure.unique_id,
      kind: 'exposure',
      name: exposure.name,
      relation: null,
      description: typeof definition.description === 'string' ? definition.description : '',
      materialized: typeof definition.type === 'string' ? definition.type : null,
      path: exposure.original_file_path,
      columns: [],
      tests: [],
      compiledSql: null,
      rowCount: null,
      // Resolved at compile; only those drawn (a unit test or disabled node is not).
      parents: (exposure.depends_on?.nodes ?? []).filter((id) => shown.has(id)),
    });
  }
  return { projectName: manifest.metadata.project_name, generatedAt: manifest.metadata.generated_at, nodes: layout(drafts) };
}

function testsByNode(manifest: Manifest): Map<string, Map<string | null, string[]>> {
  const byNode = new Map<string, Map<string | null, string[]>>();
  for (const node of Object.values(manifest.nodes)) {
    if (node.resource_type !== 'test' || node.attached_node === null) continue;
    const columns = byNode.get(node.attached_node) ?? new Map<string | null, string[]>();
    const list = columns.get(node.column_name) ?? [];
    list.push(testLabel(node));
    columns.set(node.column_name, list);
    byNode.set(node.attached_node, columns);
  }
  for (const columns of byNode.values()) for (const list of columns.values()) list.sort();
  return byNode;
}

function testLabel(test: TestNode): string {
  const metadata = test.test_metadata;
  if (!metadata) return test.name;
  if (metadata.name === 'accepted_values' && Array.isArray(metadata.kwargs.values)) return `accepted_values: ${metadata.kwargs.values.join(', ')}`;
  if (metadata.name === 'relationships' && typeof metadata.kwargs.to === 'string')
    return `relationships: ${metadata.kwargs.to}.${String(metadata.kwargs.field ?? '')}`;
  return metadata.name;
}

function columnsOf(
  declared: Record<string, { name: string; description: string; data_type: string | null; pii: string | null }>,
  table: CatalogTable | undefined,
  tests: ReadonlyMap<string | null, string[]> | undefined,
): SiteColumn[] {
  // The warehouse's columns in their order, then those only schema.yml names.
  const names = [
    ...Object.values(table?.columns ?? {})
      .sort((a, b) => a.index - b.index)
      .map((column) => column.name),
  ];
  for (const name of Object.keys(declared)) if (!names.includes(name)) names.push(name);
  return names.map((name) => ({
    name,
    type: table?.columns[name]?.type ?? declared[name]?.data_type ?? null,
    description: declared[name]?.description ?? '',
    pii: declared[name]?.pii ?? null,
    tests: tests?.get(name) ?? [],
  }));
}

function rowCountOf(table: CatalogTable | undefined): number | null {
  const value = table?.stats.row_count?.value;
  return typeof value === 'number' ? value : null;
}

/** Depth: the longest path from a node without shown parents; rows by name within a depth. */
function layout(drafts: readonly Draft[]): SiteNode[] {
  const ids = new Set(drafts.map((draft) => draft.id));
  const parentsOf = new Map(drafts.map((draft) => [draft.id, draft.parents.filter((parent) => ids.has(parent))]));
  const depth = new Map<string, number>();
  const depthOf = (id: string, seen: Set<string>): number => {
    const known = depth.get(id);
    if (known !== undefined) return known;
    if (seen.has(id)) return 0;
    seen.add(id);
    const value = Math.max(-1, ...parentsOf.get(id)!.map((parent) => depthOf(parent, seen))) + 1;
    depth.set(id, value);
    return value;
  };
  for (const draft of drafts) depthOf(draft.id, new Set());
  const children = new Map<string, string[]>();
  for (const [id, parents] of parentsOf) for (const parent of parents) children.set(parent, [...(children.get(parent) ?? []), id]);
  const rows = new Map<number, number>();
  return [...drafts]
    .sort((a, b) => depth.get(a.id)! - depth.get(b.id)! || a.name.localeCompare(b.name))
    .map((draft) => {
      const d = depth.get(draft.id)!;
      const row = rows.get(d) ?? 0;
      rows.set(d, row + 1);
      return { ...draft, parents: parentsOf.get(draft.id)!, children: (children.get(draft.id) ?? []).sort(), depth: d, row };
    });
}
