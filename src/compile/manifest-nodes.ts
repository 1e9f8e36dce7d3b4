// Manifest nodes for models, seeds and tests, built from compiler entries once every config
// is final. The compiler supplies what only it knows (relations, final SQL, hooks) through
// NodeFacts.

import type { ProjectPaths } from '../config/project.js';
import { quoteQualified } from '../sql/quote-ident.js';
import { checksumOf } from './checksum.js';
import { columnInfos } from './columns.js';
import { withInheritedPii } from './inherited-pii.js';
import { modelContract } from './model-contract.js';
import { folderParts, pathUnder, segmentsUnder, type GenericTestEntry, type SeedEntry, type TemplateEntry } from './compile-entries.js';
import type { ColumnInfo, ModelNode, SeedNode, TestNode } from '../manifest/manifest.js';
import { mergeConfigLayers, resolveTestConfig, type ModelConfig } from '../manifest/node-config.js';
import { storedFailuresAs, TEST_AUDIT_SCHEMA } from '../manifest/test-failures.js';
import type { RelationParts } from './relation.js';
import type { RenderRecord } from './render-state.js';
import type { ClassifiedColumns } from './select-lineage.js';

export interface NodeFacts {
  readonly projectName: string;
  finalConfig(uniqueId: string): ModelConfig;
  schemaName(uniqueId: string, custom: string | null): string;
  aliasName(uniqueId: string, custom: string | null, name: string): string;
  relationParts(uniqueId: string): RelationParts;
  /** SQL with relations resolved and ephemeral CTEs prepended. */
  finalSql(uniqueId: string, record: RenderRecord): string;
  renderHooks(entry: TemplateEntry, hooks: readonly string[], which: 'pre_hook' | 'post_hook'): string[];
  displayName(uniqueId: string): string;
  /** The PII classes of a node's columns, declared or inherited by lineage. */
  columnClasses(uniqueId: string): ClassifiedColumns;
  /** The project's folders (model-paths …), which fqn and path are relative to. */
  readonly paths: ProjectPaths;
  /** --store-failures: tests that say nothing of it store their failures. */
  readonly storeFailures: boolean;
}

export function modelNode(entry: TemplateEntry, facts: NodeFacts): ModelNode {
  const record = entry.record!;
  const config = facts.finalConfig(entry.uniqueId);
  const schema = facts.schemaName(entry.uniqueId, config.schema);
  const alias = facts.aliasName(entry.uniqueId, config.alias, entry.name);
  const ephemeral = config.materialized === 'ephemeral';
  const underModels = pathUnder(facts.paths.models, entry.file.path);
  const declared = columnInfos(entry.patch?.columns ?? []);
  const columns = withInheritedPii(declared, facts.columnClasses(entry.uniqueId));
  const constraints = entry.patch?.constraints ?? [];
  // The contract is what schema.yml declares; columns added by PII lineage are not part of it.
  const contract = modelContract({
    uniqueId: entry.uniqueId,
    file: entry.file.path,
    patchFile: entry.patch?.file ?? null,
    config,
    columns: declared,
    constraints,
  });
  return {
    unique_id: entry.uniqueId,
    resource_type: 'model',
    name: entry.name,
    package_name: facts.projectName,
    fqn: [facts.projectName, ...segmentsUnder(facts.paths.models, entry.file.path)],
    path: underModels,
    original_file_path: entry.file.path,
    depends_on: dependsOn(record),
    tags: config.tags,
    description: entry.patch?.description ?? '',
    meta: { ...entry.patch?.meta, ...config.meta },
    checksum: checksumOf(entry.file.text),
    config,
    schema,
    alias,
    relation_name: ephemeral ? null : quoteQualified(schema, alias),
    raw_code: entry.file.text,
    compiled_code: facts.finalSql(entry.uniqueId, record),
    compiled_pre_hook: ephemeral ? [] : facts.renderHooks(entry, config.pre_hook, 'pre_hook'),
    compiled_post_hook: ephemeral ? [] : facts.renderHooks(entry, config.post_hook, 'post_hook'),
    compiled_path: `target/compiled/${underModels}`,
    refs: refsOf(record),
    sources: sourcesOf(record),
    ...(entry.patch?.properties ? { properties: entry.patch.properties } : {}),
    columns,
    contract,
    constraints,
    patch_path: entry.patch?.file ?? null,
    unrendered_config: record.state.inFile,
  };
}

export function seedNode(seed: SeedEntry, facts: NodeFacts): SeedNode {
  const parts = facts.relationParts(seed.uniqueId);
  const documented = columnInfos(seed.patch?.columns ?? []);
  const columns: Record<string, ColumnInfo> = {};
  for (const column of seed.header) {
    const doc = documented[column];
    const dataType = seed.config.column_types[column] ?? doc?.data_type ?? null;
    columns[column] = doc
      ? { ...doc, data_type: dataType }
      : { name: column, description: '', meta: {}, data_type: dataType, tags: [], quote: false, pii: null, constraints: [] };
  }
  return {
    unique_id: seed.uniqueId,
    resource_type: 'seed',
    name: seed.name,
    package_name: facts.projectName,
    fqn: [facts.projectName, ...segmentsUnder(facts.paths.seeds, seed.file.path)],
    path: pathUnder(facts.paths.seeds, seed.file.path),
    original_file_path: seed.file.path,
    depends_on: { nodes: [], macros: [] },
    tags: seed.config.tags,
    description: seed.patch?.description ?? '',
    meta: { ...seed.patch?.meta, ...seed.config.meta },
    checksum: { name: 'sha256', checksum: seed.file.checksum },
    config: seed.config,
    schema: parts.schema!,
    alias: parts.identifier,
    relation_name: quoteQualified(parts.schema!, parts.identifier),
    columns,
    column_names: seed.header,
    patch_path: seed.patch?.file ?? null,
  };
}

export function singularTestNode(entry: TemplateEntry, facts: NodeFacts): TestNode {
  const record = entry.record!;
  const config = resolveTestConfig(mergeConfigLayers(entry.baseLayer, record.state.inFile));
  return withFailuresRelation(facts, {
    unique_id: entry.uniqueId,
    resource_type: 'test',
    name: entry.name,
    package_name: facts.projectName,
    fqn: [facts.projectName, ...segmentsUnder(facts.paths.tests, entry.file.path)],
    path: pathUnder(facts.paths.tests, entry.file.path),
    original_file_path: entry.file.path,
    depends_on: dependsOn(record),
    tags: config.tags,
    description: '',
    meta: config.meta,
    checksum: checksumOf(entry.file.text),
    config,
    raw_code: entry.file.text,
    compiled_code: facts.finalSql(entry.uniqueId, record),
    compiled_path: `target/compiled/${entry.file.path}`,
    test_metadata: null,
    column_name: null,
    attached_node: null,
    file_key_name: null,
    refs: refsOf(record),
    sources: sourcesOf(record),
  });
}

export function genericTestNode(test: GenericTestEntry, facts: NodeFacts): TestNode {
  const record = test.record!;
  const schemaFile = pathUnder(test.resourceDir, test.file);
  const kwargs: Record<string, unknown> = { ...test.spec.args };
  if (test.column) kwargs.column_name = test.column.name;
  // What the test is, not where it sits: state:modified compares this.
  const identity = { test: test.spec.testName, attached: facts.displayName(test.attachedId), kwargs, config: test.spec.config };
  const dependencies = dependsOn(record);
  return withFailuresRelation(facts, {
    unique_id: test.uniqueId,
    resource_type: 'test',
    name: test.name,
    package_name: facts.projectName,
    fqn: [facts.projectName, ...folderParts(schemaFile), test.name],
    path: `${test.shortName}.sql`,
    original_file_path: test.file,
    depends_on: { nodes: [...new Set([test.attachedId, ...dependencies.nodes])], macros: dependencies.macros },
    tags: test.config.tags,
    description: '',
    meta: test.config.meta,
    checksum: checksumOf(JSON.stringify(identity)),
    config: test.config,
    raw_code: `{{ test_${test.spec.testName}(**_pgshift_generic_test_kwargs) }}`,
    compiled_code: facts.finalSql(test.uniqueId, record),
    compiled_path: `target/compiled/${schemaFile}/${test.shortName}.sql`,
    test_metadata: { name: test.spec.testName, kwargs, namespace: test.spec.namespace },
    column_name: test.column?.name ?? null,
    attached_node: test.attachedId,
    file_key_name: test.fileKeyName,
    refs: refsOf(record),
    sources: sourcesOf(record),
  });
}

/**
 * A test that stores its failures names their relation as dbt does: the schema from
 * generate_schema_name with the test's `schema` (default dbt_test__audit, so
 * `<target schema>_dbt_test__audit`), named by its alias or its own name.
 */
function withFailuresRelation(facts: NodeFacts, test: TestNode): TestNode {
  if (storedFailuresAs(test.config, facts.storeFailures) === null) return test;
  const schema = facts.schemaName(test.unique_id, test.config.schema ?? TEST_AUDIT_SCHEMA);
  const alias = facts.aliasName(test.unique_id, test.config.alias, test.name);
  return { ...test, schema, alias, relation_name: quoteQualified(schema, alias) };
}

function dependsOn(record: RenderRecord): { nodes: string[]; macros: string[] } {
  return { nodes: [...record.state.refs, ...record.state.sourceIds], macros: [...record.state.macros].sort() };
}

function refsOf(record: RenderRecord): Array<{ name: string }> {
  return record.state.refNames.map((name) => ({ name }));
}

function sourcesOf(record: RenderRecord): Array<[string, string]> {
  return record.state.sources.map(([source, table]) => [source, table]);
}
