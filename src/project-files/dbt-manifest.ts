// target/manifest.json in dbt's manifest v12 shape (https://schemas.getdbt.com/dbt/manifest/v12.json),
// so tools built on dbt's artefacts read pgshift's. The internal Manifest stays as compile/ builds
// it; this is the one place it is turned into dbt's keys and ids. What pgshift keeps that dbt has
// no key for goes into each node's `meta.pgshift` (read-dbt-manifest.ts takes it back out).

import { createHash } from 'node:crypto';
import type { AnyNode, DbtPropertyEntry, Manifest, ModelNode, SeedNode, SnapshotNode, SourceNode, TestNode, UnitTestNode } from '../manifest/manifest.js';
import { dbtIdMapper, dbtUniqueId } from '../manifest/dbt-unique-id.js';
import { runHooksOf } from '../manifest/run-hooks.js';

export const DBT_MANIFEST_SCHEMA = 'https://schemas.getdbt.com/dbt/manifest/v12.json';
/** The dbt release whose artefact schemas pgshift writes; tools decide what to read by it. */
export { DBT_VERSION } from '../manifest/dbt-version.js';
import { DBT_VERSION } from '../manifest/dbt-version.js';
/** The key under a node's `meta` that holds pgshift's own fields. */
export const PGSHIFT_META_KEY = 'pgshift';

export interface DbtManifestContext {
  /** The target's database (Redshift `database`, a profile's `dbname`); null when not known without connecting. */
  readonly database: string | null;
  /** One id per command, shared with the run_results.json the same command writes. */
  readonly invocationId: string;
}

type Json = Record<string, unknown>;

export function toDbtManifest(manifest: Manifest, context: DbtManifestContext): Json {
  const all = [...Object.values(manifest.sources), ...Object.values(manifest.nodes)];
  const id = dbtIdMapper(all);
  const project = manifest.metadata.project_name;
  const base = { id, database: context.database, targetSchema: manifest.metadata.target.schema };
  const nodes: Json = {};
  const unitTests: Json = {};
  for (const node of Object.values(manifest.nodes)) {
    if (node.resource_type === 'unit_test') unitTests[id(node.unique_id)] = unitTestEntry(node, base);
    else nodes[id(node.unique_id)] = nodeEntry(node, base);
  }
  for (const hook of hookNodes(manifest, base)) nodes[hook.unique_id as string] = hook;
  const sources: Json = {};
  for (const source of Object.values(manifest.sources)) sources[id(source.unique_id)] = sourceEntry(source, base);
  return {
    metadata: {
      dbt_schema_version: DBT_MANIFEST_SCHEMA,
      dbt_version: DBT_VERSION,
      generated_at: manifest.metadata.generated_at,
      invocation_id: context.invocationId,
      env: {},
      project_name: project,
      // dbt's project_id is the md5 of the project name.
      project_id: createHash('md5').update(project).digest('hex'),
      user_id: null,
      send_anonymous_usage_stats: false,
      adapter_type: manifest.metadata.target.type,
    },
    nodes,
    sources,
    macros: Object.fromEntries(
      Object.values(manifest.macros).map((macro) => [
        macro.unique_id,
        {
          name: macro.name,
          resource_type: 'macro',
          package_name: macro.unique_id.split('.')[1] ?? project,
          path: macro.original_file_path,
          original_file_path: macro.original_file_path,
          unique_id: macro.unique_id,
          macro_sql: macro.macro_sql,
          depends_on: { macros: [] },
          description: '',
          meta: { [PGSHIFT_META_KEY]: { checksum: macro.checksum } },
        },
      ]),
    ),
    docs: {},
    exposures: exposureEntries(manifest, project, id),
    metrics: propertyEntries(manifest.metrics, 'metric', project),
    groups: propertyEntries(manifest.groups, 'group', project),
    selectors: manifest.selectors,
    disabled: Object.fromEntries(
      Object.values(manifest.disabled).map((entry) => [
        disabledId(entry, project),
        [
          {
            database: context.database,
            schema: base.targetSchema,
            name: entry.name,
            resource_type: entry.resource_type,
            package_name: project,
            path: entry.original_file_path,
            original_file_path: entry.original_file_path,
            unique_id: disabledId(entry, project),
            fqn: [project, entry.name],
            alias: entry.name,
            checksum: { name: 'none', checksum: '' },
            config: { enabled: false },
          },
        ],
      ]),
    ),
    parent_map: mapIds(manifest.parent_map, id),
    child_map: mapIds(manifest.child_map, id),
    group_map: {},
    saved_queries: propertyEntries(manifest.saved_queries, 'saved_query', project),
    semantic_models: propertyEntries(manifest.semantic_models, 'semantic_model', project),
    unit_tests: unitTests,
  };
}

interface Base {
  readonly id: (id: string) => string;
  readonly database: string | null;
  readonly targetSchema: string;
}

function common(node: AnyNode, base: Base): Json {
  return {
    unique_id: base.id(node.unique_id),
    resource_type: node.resource_type,
    name: node.name,
    package_name: node.package_name,
    fqn: node.fqn,
    path: node.path,
    original_file_path: node.original_file_path,
    tags: node.tags,
    description: node.description,
    checksum: node.checksum,
  };
}

/** `meta` with pgshift's fields under its own key, left out when there are none. */
function metaWith(meta: Record<string, unknown>, extras: Json): Record<string, unknown> {
  const kept = Object.fromEntries(Object.entries(extras).filter(([, value]) => value !== undefined));
  return Object.keys(kept).length === 0 ? meta : { ...meta, [PGSHIFT_META_KEY]: kept };
}

function dependsOn(node: AnyNode, base: Base): Json {
  return { macros: node.depends_on.macros, nodes: node.depends_on.nodes.map(base.id) };
}

function nodeEntry(node: Exclude<Manifest['nodes'][string], UnitTestNode>, base: Base): Json {
  switch (node.resource_type) {
    case 'model':
    case 'snapshot':
      return modelEntry(node, base);
    case 'seed':
      return seedEntry(node, base);
    case 'test':
      return testEntry(node, base);
  }
}

function modelEntry(node: ModelNode | SnapshotNode, base: Base): Json {
  return {
    ...common(node, base),
    database: base.database,
    schema: node.schema,
    alias: node.alias,
    relation_name: node.relation_name,
    config: node.config,
    unrendered_config: node.unrendered_config,
    columns: node.columns,
    contract: node.contract,
    constraints: node.constraints,
    // schema.yml's model properties dbt has node keys for; all of them, as written, stay in meta.pgshift.properties.
    ...liftedProperties(node.properties),
    meta: metaWith(node.meta, {
      compiled_pre_hook: node.compiled_pre_hook,
      compiled_post_hook: node.compiled_post_hook,
      properties: node.properties,
    }),
    patch_path: node.patch_path,
    language: 'sql',
    raw_code: node.raw_code,
    compiled: true,
    compiled_code: node.compiled_code,
    compiled_path: node.compiled_path,
    refs: node.refs.map((ref) => ({ name: ref.name, package: null, version: null })),
    sources: node.sources,
    metrics: [],
    depends_on: dependsOn(node, base),
  };
}

function liftedProperties(properties: ModelNode['properties']): Json {
  if (!properties) return {};
  const lifted: Json = {};
  if (properties.access === 'private' || properties.access === 'protected' || properties.access === 'public') lifted.access = properties.access;
  if (typeof properties.group === 'string') lifted.group = properties.group;
  if (typeof properties.latest_version === 'string' || typeof properties.latest_version === 'number') lifted.latest_version = properties.latest_version;
  if (typeof properties.deprecation_date === 'string') lifted.deprecation_date = properties.deprecation_date;
  return lifted;
}

function seedEntry(node: SeedNode, base: Base): Json {
  return {
    ...common(node, base),
    database: base.database,
    schema: node.schema,
    alias: node.alias,
    relation_name: node.relation_name,
    config: node.config,
    columns: node.columns,
    meta: metaWith(node.meta, { column_names: node.column_names, depends_on_nodes: node.depends_on.nodes.length > 0 ? node.depends_on.nodes : undefined }),
    patch_path: node.patch_path,
    // A seed depends on macros only in dbt's schema (MacroDependsOn).
    depends_on: { macros: node.depends_on.macros },
  };
}

function testEntry(node: TestNode, base: Base): Json {
  const generic = node.test_metadata !== null;
  return {
    ...common(node, base),
    database: base.database,
    // Where the failing rows are kept (store_failures), or where dbt would keep them: <target schema>_dbt_test__audit.
    schema: node.schema ?? `${base.targetSchema}_dbt_test__audit`,
    alias: node.alias ?? node.name,
    config: node.config,
    meta: metaWith(node.meta, generic ? {} : { attached_node: node.attached_node === null ? undefined : base.id(node.attached_node) }),
    language: 'sql',
    raw_code: node.raw_code,
    compiled: true,
    compiled_code: node.compiled_code,
    compiled_path: node.compiled_path,
    relation_name: node.relation_name ?? null,
    refs: node.refs.map((ref) => ({ name: ref.name, package: null, version: null })),
    sources: node.sources,
    metrics: [],
    depends_on: dependsOn(node, base),
    ...(generic
      ? {
          test_metadata: node.test_metadata,
          column_name: node.column_name,
          file_key_name: node.file_key_name,
          attached_node: node.attached_node === null ? null : base.id(node.attached_node),
        }
      : {}),
  };
}

function sourceEntry(node: SourceNode, base: Base): Json {
  return {
    // A source only dbt YAML declares may name its own database; pgshift's tables are in the target's.
    database: node.database ?? base.database,
    schema: node.schema,
    name: node.table_name,
    resource_type: 'source',
    package_name: node.package_name,
    path: node.path,
    original_file_path: node.original_file_path,
    unique_id: base.id(node.unique_id),
    fqn: node.fqn,
    source_name: node.source_name,
    source_description: '',
    loader: node.loader || (node.extracted ? 'pgshift' : ''),
    identifier: node.identifier,
    loaded_at_field: node.loaded_at_field,
    freshness: node.freshness,
    description: node.description,
    columns: node.columns,
    meta: metaWith(node.meta, {
      name: node.name,
      table_id: node.table_id,
      extracted: node.extracted,
      database: node.database ?? undefined,
      loader: node.loader || undefined,
      source_schema: node.source_schema,
      deletes: node.deletes,
      primary_key: node.primary_key,
      checksum: node.checksum,
      depends_on: node.depends_on.macros.length > 0 || node.depends_on.nodes.length > 0 ? node.depends_on : undefined,
    }),
    source_meta: {},
    tags: node.tags,
    config: node.config,
    patch_path: node.patch_path,
    relation_name: node.relation_name,
  };
}

function unitTestEntry(node: UnitTestNode, base: Base): Json {
  const rows = (fixture: UnitTestNode['expect']) => (fixture.format === 'sql' ? fixture.sql : fixture.rows);
  // dbt's UnitTestDefinition has no tags of its own (they are config.tags).
  const { tags: _tags, ...shared } = common(node, base);
  return {
    ...shared,
    // A unit test's checksum is a plain string in dbt's schema.
    checksum: node.checksum.checksum,
    model: node.model,
    given: node.given.map((given) => ({ input: given.input, rows: rows(given), format: given.format })),
    expect: { rows: rows(node.expect), format: node.expect.format },
    overrides: node.overrides,
    depends_on: dependsOn(node, base),
    config: {
      ...node.config,
      meta: metaWith(node.config.meta, {
        meta: Object.keys(node.meta).length > 0 ? node.meta : undefined,
        attached_node: base.id(node.attached_node),
        given_nodes: node.given.map((given) => base.id(given.node)),
      }),
    },
  };
}

/** dbt_project.yml's on-run-start/on-run-end, as dbt's manifest holds them: one `operation` node per hook. */
/** Every run hook, the packages' too, as dbt's `operation` nodes (the ids run_results.json names). */
function hookNodes(manifest: Manifest, base: Base): Json[] {
  return (['on-run-start', 'on-run-end'] as const).flatMap((kind) =>
    runHooksOf(manifest, kind).map((hook) => {
      const name = hook.uniqueId.slice(`operation.${hook.packageName}.`.length);
      return {
        database: base.database,
        schema: base.targetSchema,
        name,
        resource_type: 'operation',
        package_name: hook.packageName,
        path: `hooks/${name}.sql`,
        original_file_path: hook.file === 'dbt_project.yml' ? './dbt_project.yml' : hook.file,
        unique_id: hook.uniqueId,
        fqn: [hook.packageName, 'hooks', name],
        alias: name,
        checksum: { name: 'sha256', checksum: createHash('sha256').update(hook.sql).digest('hex') },
        config: { enabled: true },
        tags: [kind],
        raw_code: hook.sql,
        index: hook.index,
        depends_on: { macros: [], nodes: [] },
      };
    }),
  );
}

function propertyEntries(entries: Record<string, DbtPropertyEntry> | undefined, resourceType: string, project: string): Json {
  return Object.fromEntries(
    Object.values(entries ?? {}).map((entry) => [
      entry.unique_id,
      {
        ...entry.definition,
        name: entry.name,
        resource_type: resourceType,
        package_name: project,
        path: entry.original_file_path,
        original_file_path: entry.original_file_path,
        unique_id: entry.unique_id,
        fqn: [project, entry.name],
      },
    ]),
  );
}

/** Exposures as v12 has them: DependsOn's node ids (resolved at compile), the YAML's strings under meta.pgshift.depends_on. */
function exposureEntries(manifest: Manifest, project: string, id: (id: string) => string): Json {
  const entries = propertyEntries(manifest.exposures, 'exposure', project);
  for (const [uniqueId, entry] of Object.entries(entries) as [string, Json][]) {
    const written = Array.isArray(entry.depends_on) ? (entry.depends_on as unknown[]).filter((item): item is string => typeof item === 'string') : [];
    entry.depends_on = { macros: [], nodes: (manifest.exposures?.[uniqueId]?.depends_on?.nodes ?? []).map(id) };
    entry.meta = metaWith((entry.meta ?? {}) as Record<string, unknown>, { depends_on: written.length > 0 ? written : undefined });
  }
  return entries;
}

/** A disabled source is named as an enabled one would be; a disabled node keeps its id (whether a test was generic is not kept). */
function disabledId(entry: Manifest['disabled'][string], project: string): string {
  return entry.resource_type === 'source' ? dbtUniqueId({ unique_id: entry.unique_id, resource_type: 'source', package_name: project }) : entry.unique_id;
}

function mapIds(map: Record<string, string[]>, id: (id: string) => string): Record<string, string[]> {
  return Object.fromEntries(Object.entries(map).map(([key, ids]) => [id(key), ids.map(id)]));
}
