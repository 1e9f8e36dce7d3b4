// A target/manifest.json pgshift wrote (dbt's v12 shape, dbt-manifest.ts) read back into the
// internal Manifest: pgshift's ids again, each node's `meta.pgshift` fields back in place, hook
// nodes back into run_hooks. For --state, docs generate --no-compile and anything else that
// reads an earlier compile's manifest.

import type { Checksum, Manifest, ManifestMetadata } from '../manifest/manifest.js';
import { internalUniqueId } from '../manifest/dbt-unique-id.js';
import { PGSHIFT_META_KEY } from './dbt-manifest.js';

type Json = Record<string, unknown>;

/** `target` is the target of the command reading the file (the manifest names only its adapter). */
export function fromDbtManifest(file: Json, target: ManifestMetadata['target']): Manifest {
  const metadata = file.metadata as Json;
  const nodes: Json = {};
  const project = String(metadata.project_name);
  const hooks = { on_run_start: [] as string[], on_run_end: [] as string[] };
  const packageHooks = new Map<string, { name: string; file: string; on_run_start: string[]; on_run_end: string[] }>();
  for (const entry of Object.values((file.nodes ?? {}) as Record<string, Json>)) {
    if (entry.resource_type === 'operation') {
      const owner = String(entry.package_name ?? project);
      let lists: { on_run_start: string[]; on_run_end: string[] } = hooks;
      if (owner !== project) {
        const known = packageHooks.get(owner) ?? { name: owner, file: String(entry.original_file_path), on_run_start: [], on_run_end: [] };
        packageHooks.set(owner, known);
        lists = known;
      }
      const list = (entry.tags as string[] | undefined)?.includes('on-run-end') ? lists.on_run_end : lists.on_run_start;
      list[Number(entry.index ?? list.length)] = String(entry.raw_code ?? '');
      continue;
    }
    const node = fromNode(entry);
    nodes[node.unique_id as string] = node;
  }
  for (const entry of Object.values((file.unit_tests ?? {}) as Record<string, Json>)) {
    const node = fromUnitTest(entry);
    nodes[node.unique_id as string] = node;
  }
  const sources: Json = {};
  for (const entry of Object.values((file.sources ?? {}) as Record<string, Json>)) {
    const node = fromSource(entry);
    sources[node.unique_id as string] = node;
  }
  const macros: Json = {};
  for (const entry of Object.values((file.macros ?? {}) as Record<string, Json>)) {
    const extras = pgshiftMeta(entry.meta);
    macros[entry.unique_id as string] = {
      unique_id: entry.unique_id,
      name: entry.name,
      original_file_path: entry.original_file_path,
      checksum: extras.checksum as Checksum,
      macro_sql: entry.macro_sql,
    };
  }
  const disabled: Json = {};
  for (const [id, list] of Object.entries((file.disabled ?? {}) as Record<string, Json[]>)) {
    const entry = list[0];
    if (entry)
      disabled[internalUniqueId(id)] = {
        unique_id: internalUniqueId(id),
        name: entry.name,
        resource_type: entry.resource_type,
        original_file_path: entry.original_file_path,
      };
  }
  const parentMap = mapIds(file.parent_map);
  return {
    metadata: {
      pgshift_schema_version: 'pgshift/manifest/v1',
      generated_at: String(metadata.generated_at),
      project_name: String(metadata.project_name),
      target,
    },
    nodes: nodes as unknown as Manifest['nodes'],
    sources: sources as unknown as Manifest['sources'],
    macros: macros as unknown as Manifest['macros'],
    disabled: disabled as unknown as Manifest['disabled'],
    parent_map: parentMap,
    child_map: mapIds(file.child_map),
    selectors: (file.selectors ?? {}) as Manifest['selectors'],
    topological_order: topologicalOrder(Object.keys(sources).concat(Object.keys(nodes)), parentMap),
    warnings: [],
    ...(hooks.on_run_start.length > 0 || hooks.on_run_end.length > 0 || packageHooks.size > 0
      ? { run_hooks: { ...hooks, ...(packageHooks.size > 0 ? { packages: [...packageHooks.values()] } : {}) } }
      : {}),
    exposures: exposuresOf(file.exposures),
  };
}

/** The pgshift fields of a `meta`, and the meta without them. */
function splitMeta(meta: unknown): { meta: Json; extras: Json } {
  const { [PGSHIFT_META_KEY]: extras, ...rest } = (meta ?? {}) as Json;
  return { meta: rest, extras: (extras ?? {}) as Json };
}

function pgshiftMeta(meta: unknown): Json {
  return splitMeta(meta).extras;
}

function dependsOn(value: unknown): { nodes: string[]; macros: string[] } {
  const depends = (value ?? {}) as { nodes?: string[]; macros?: string[] };
  return { nodes: (depends.nodes ?? []).map(internalUniqueId), macros: depends.macros ?? [] };
}

function fromNode(entry: Json): Json {
  const { meta, extras } = splitMeta(entry.meta);
  const {
    database: _database,
    language: _language,
    compiled: _compiled,
    metrics: _metrics,
    access: _access,
    group: _group,
    latest_version: _latestVersion,
    deprecation_date: _deprecationDate,
    relation_name,
    schema,
    alias,
    attached_node,
    refs,
    depends_on,
    ...rest
  } = entry;
  const node: Json = { ...rest, unique_id: internalUniqueId(String(entry.unique_id)), meta };
  switch (entry.resource_type) {
    case 'model':
    case 'snapshot':
      return {
        ...node,
        schema,
        alias,
        relation_name,
        refs: ((refs ?? []) as { name: string }[]).map((ref) => ({ name: ref.name })),
        depends_on: dependsOn(depends_on),
        compiled_pre_hook: extras.compiled_pre_hook ?? [],
        compiled_post_hook: extras.compiled_post_hook ?? [],
        ...(extras.properties ? { properties: extras.properties } : {}),
      };
    case 'seed':
      return {
        ...node,
        schema,
        alias,
        relation_name,
        column_names: extras.column_names ?? Object.keys((entry.columns ?? {}) as Json),
        depends_on: { nodes: ((extras.depends_on_nodes ?? []) as string[]).map(internalUniqueId), macros: dependsOn(depends_on).macros },
      };
    default: {
      const attached = attached_node ?? extras.attached_node ?? null;
      return {
        test_metadata: null,
        column_name: null,
        file_key_name: null,
        ...node,
        // Only a test that stores its failures has a relation; the file names dbt's place for every test.
        ...(typeof relation_name === 'string' ? { schema, alias, relation_name } : {}),
        attached_node: typeof attached === 'string' ? internalUniqueId(attached) : null,
        refs: ((refs ?? []) as { name: string }[]).map((ref) => ({ name: ref.name })),
        depends_on: dependsOn(depends_on),
      };
    }
  }
}

function fromSource(entry: Json): Json {
  const { meta, extras } = splitMeta(entry.meta);
  const { database: _database, source_description: _description, loader: _loader, source_meta: _sourceMeta, name: _table, ...rest } = entry;
  return {
    ...rest,
    unique_id: internalUniqueId(String(entry.unique_id)),
    name: extras.name ?? `source:${entry.source_name}.${entry.identifier}`,
    meta,
    table_name: entry.name,
    table_id: extras.table_id ?? `${entry.source_name}.${entry.name}`,
    extracted: extras.extracted ?? true,
    database: extras.database ?? null,
    loader: extras.loader ?? '',
    source_schema: extras.source_schema === undefined ? entry.schema : extras.source_schema,
    deletes: extras.deletes ?? { hard: false, soft_column: null },
    primary_key: extras.primary_key ?? null,
    checksum: extras.checksum ?? { name: 'none', checksum: '' },
    depends_on: extras.depends_on ?? { nodes: [], macros: [] },
  };
}

function fromUnitTest(entry: Json): Json {
  const config = (entry.config ?? {}) as Json;
  const { meta: configMeta, extras } = splitMeta(config.meta);
  const fixture = (value: unknown) => {
    const rows = (value ?? {}) as { rows?: unknown; format?: string };
    const format = rows.format ?? 'dict';
    return { format, rows: format === 'sql' ? null : (rows.rows ?? null), sql: format === 'sql' ? (rows.rows ?? null) : null };
  };
  const givenNodes = (extras.given_nodes ?? []) as string[];
  return {
    ...entry,
    unique_id: internalUniqueId(String(entry.unique_id)),
    tags: (config.tags ?? []) as string[],
    meta: extras.meta ?? {},
    checksum: { name: 'sha256', checksum: String(entry.checksum ?? '') },
    config: { ...config, meta: configMeta },
    attached_node: internalUniqueId(String(extras.attached_node ?? '')),
    given: ((entry.given ?? []) as Json[]).map((given, index) => ({
      input: given.input,
      ...fixture(given),
      node: internalUniqueId(givenNodes[index] ?? ''),
    })),
    expect: fixture(entry.expect),
    depends_on: dependsOn(entry.depends_on),
  };
}

function mapIds(value: unknown): Record<string, string[]> {
  return Object.fromEntries(Object.entries((value ?? {}) as Record<string, string[]>).map(([key, ids]) => [internalUniqueId(key), ids.map(internalUniqueId)]));
}

/** Parents before children (the file keeps the graph, not an order); ids without parents first, as written. */
function topologicalOrder(ids: readonly string[], parents: Record<string, string[]>): string[] {
  const known = new Set(ids);
  const done = new Set<string>();
  const order: string[] = [];
  const visit = (id: string, path: Set<string>) => {
    if (done.has(id) || path.has(id)) return;
    path.add(id);
    for (const parent of parents[id] ?? []) if (known.has(parent)) visit(parent, path);
    path.delete(id);
    done.add(id);
    order.push(id);
  };
  for (const id of ids) visit(id, new Set());
  return order;
}

/** Exposures back as compiled: the YAML's depends_on strings from meta.pgshift, the resolved nodes as pgshift ids. */
function exposuresOf(value: unknown): NonNullable<Manifest['exposures']> {
  const exposures: NonNullable<Manifest['exposures']> = {};
  for (const entry of Object.values((value ?? {}) as Record<string, Json>)) {
    const { meta, extras } = splitMeta(entry.meta);
    const resolved = dependsOn(entry.depends_on).nodes;
    const uniqueId = String(entry.unique_id);
    exposures[uniqueId] = {
      unique_id: uniqueId,
      name: String(entry.name),
      original_file_path: String(entry.original_file_path),
      definition: { ...entry, meta, depends_on: extras.depends_on ?? [] },
      depends_on: { nodes: resolved },
    };
  }
  return exposures;
}
