// The compiled project as the runner, the selectors and `target/manifest.json` see it. Field
// names follow dbt's manifest where that costs nothing, so dbt users and tools feel at home.

import type { PiiClass } from '../config/project-schema.js';
import type { ModelConfig, SeedConfig, SnapshotConfig, SourceConfig, TestConfig } from './node-config.js';

export type ResourceType = 'model' | 'seed' | 'test' | 'unit_test' | 'source' | 'snapshot';

export interface Checksum {
  readonly name: 'sha256';
  readonly checksum: string;
}

export interface ColumnInfo {
  readonly name: string;
  readonly description: string;
  readonly meta: Record<string, unknown>;
  readonly data_type: string | null;
  readonly tags: string[];
  readonly quote: boolean;
  /** `meta.pii`, lifted out because governance reads it for every column. */
  readonly pii: PiiClass | null;
  /** Set when the class is inherited by column lineage: the upstream node column it comes from. */
  readonly pii_source?: { readonly node: string; readonly column: string };
  /** schema.yml's `constraints:` of the column, built into the table when the contract is enforced. */
  readonly constraints: readonly ColumnConstraint[];
}

/**
 * A constraint as dbt's manifest holds it (https://docs.getdbt.com/reference/resource-properties/constraints).
 * `expression` is a check's condition, or what a foreign key references.
 */
export interface ColumnConstraint {
  readonly type: 'not_null' | 'unique' | 'primary_key' | 'foreign_key' | 'check' | 'custom';
  readonly name: string | null;
  readonly expression: string | null;
  readonly warn_unenforced: boolean;
  readonly warn_unsupported: boolean;
  /** Foreign keys written as `to: ref('x')` and `to_columns: [id]`. */
  readonly to: string | null;
  readonly to_columns: readonly string[];
}

/** A model-level constraint: a column constraint over `columns`. */
export interface ModelConstraint extends ColumnConstraint {
  readonly columns: readonly string[];
}

/** dbt's node.contract: the config, and a checksum of the declared columns while it is enforced. */
export interface ModelContract {
  readonly enforced: boolean;
  readonly alias_types: boolean;
  readonly checksum: string | null;
}

interface NodeBase {
  readonly unique_id: string;
  readonly name: string;
  readonly package_name: string;
  /** [project, ...folders, name]: what fqn selectors (`staging.*`) match against. */
  readonly fqn: string[];
  /** Path inside the resource folder (`staging/stg_orders.sql`). */
  readonly path: string;
  /** Path from the project root (`models/staging/stg_orders.sql`). */
  readonly original_file_path: string;
  readonly depends_on: { nodes: string[]; macros: string[] };
  readonly tags: string[];
  readonly description: string;
  readonly meta: Record<string, unknown>;
  readonly checksum: Checksum;
}

export interface ModelNode extends NodeBase {
  readonly resource_type: 'model';
  /** schema.yml's access, group, latest_version, versions …, kept as written; versions are not built. */
  readonly properties?: Readonly<Record<string, unknown>>;
  readonly config: ModelConfig;
  readonly schema: string;
  readonly alias: string;
  /** Quoted `"schema"."alias"`; null for ephemeral models, which have no relation. */
  readonly relation_name: string | null;
  readonly raw_code: string;
  /** SQL with refs resolved and ephemeral CTEs prepended, for the compile-time context. */
  readonly compiled_code: string;
  /** Rendered pre/post hooks, in the order they run. */
  readonly compiled_pre_hook: string[];
  readonly compiled_post_hook: string[];
  readonly compiled_path: string;
  readonly refs: Array<{ name: string }>;
  readonly sources: Array<[string, string]>;
  readonly columns: Record<string, ColumnInfo>;
  readonly contract: ModelContract;
  /** Model-level `constraints:` of schema.yml. */
  readonly constraints: readonly ModelConstraint[];
  /** The schema.yml that describes this model, if any. */
  readonly patch_path: string | null;
  /** Keys set by config() inside the model file, before merging: state:modified compares these. */
  readonly unrendered_config: Record<string, unknown>;
}

/** A snapshot (dbt's SCD type 2 history of a query): a model's fields with the snapshot's config. */
export interface SnapshotNode extends Omit<ModelNode, 'resource_type' | 'config'> {
  readonly resource_type: 'snapshot';
  readonly config: SnapshotConfig;
}

export interface SeedNode extends NodeBase {
  readonly resource_type: 'seed';
  readonly config: SeedConfig;
  readonly schema: string;
  readonly alias: string;
  readonly relation_name: string;
  /** Header columns in file order, with the declared type when column_types names one. */
  readonly columns: Record<string, ColumnInfo>;
  readonly column_names: string[];
  readonly patch_path: string | null;
}

export interface TestMetadata {
  /** Generic test name: `unique`, `not_null`, `accepted_values`, `relationships` or a custom one. */
  readonly name: string;
  readonly kwargs: Record<string, unknown>;
  readonly namespace: string | null;
}

export interface TestNode extends NodeBase {
  readonly resource_type: 'test';
  readonly config: TestConfig;
  readonly raw_code: string;
  readonly compiled_code: string;
  readonly compiled_path: string;
  /** Present for generic tests (from schema.yml); absent for singular tests (tests/*.sql). */
  readonly test_metadata: TestMetadata | null;
  readonly column_name: string | null;
  /** The model, seed or source the test is declared on. */
  readonly attached_node: string | null;
  /** `models.<name>`, `sources.<source>` or `seeds.<name>` for generic tests. */
  readonly file_key_name: string | null;
  readonly refs: Array<{ name: string }>;
  readonly sources: Array<[string, string]>;
  /** Only on a test that stores its failures (test-failures.ts): the relation holding them, as dbt's manifest has it. */
  readonly schema?: string;
  readonly alias?: string;
  readonly relation_name?: string;
}

/** Rows of a unit test's given input or expected output, as written (dict or csv) or as a query (sql). */
export interface UnitTestRows {
  readonly format: 'dict' | 'csv' | 'sql';
  /** dict and csv: one record per row (csv cells are strings, an empty cell null); null for sql. */
  readonly rows: readonly Readonly<Record<string, unknown>>[] | null;
  /** sql: a query returning the rows; null otherwise. */
  readonly sql: string | null;
}

export interface UnitTestGiven extends UnitTestRows {
  /** As written: `ref('stg_orders')`, `source('shop', 'orders')` or `this`. */
  readonly input: string;
  /** The node it stands for; the tested model itself for `this`. */
  readonly node: string;
}

/** A dbt unit test: the model rendered over given rows, its result compared with expected rows. */
export interface UnitTestNode extends NodeBase {
  readonly resource_type: 'unit_test';
  readonly config: { readonly enabled: boolean; readonly tags: string[]; readonly meta: Record<string, unknown> };
  /** The tested model's unique id. */
  readonly attached_node: string;
  readonly model: string;
  readonly given: readonly UnitTestGiven[];
  readonly expect: UnitTestRows;
  readonly overrides: {
    readonly macros: { readonly is_incremental?: boolean };
    readonly vars: Readonly<Record<string, unknown>>;
    readonly env_vars: Readonly<Record<string, string>>;
  };
}

export interface FreshnessThreshold {
  readonly count: number;
  readonly period: 'minute' | 'hour' | 'day';
}

export interface Freshness {
  readonly warn_after: FreshnessThreshold | null;
  readonly error_after: FreshnessThreshold | null;
  readonly filter: string | null;
}

export interface SourceNode extends NodeBase {
  readonly resource_type: 'source';
  readonly config: SourceConfig;
  readonly source_name: string;
  /** The table's name in pgshift.yml or dbt YAML: source('shop', '<table_name>'). */
  readonly table_name: string;
  /** The table's name in the warehouse: table_name, or a dbt YAML table's identifier. */
  readonly identifier: string;
  /** `shop.orders`: the id of the table in pgshift.yml (Project.tables), or of the dbt YAML entry. */
  readonly table_id: string;
  /**
   * Whether pgshift extracts and loads the table (pgshift.yml lists it). A source only dbt YAML
   * declares is loaded by something else: models read it, tests and freshness check it, and a
   * run has nothing to do for it.
   */
  readonly extracted: boolean;
  /** Schema of the table in the source PostgreSQL database; null when pgshift does not extract it. */
  readonly source_schema: string | null;
  /** The schema in the warehouse: the raw schema for an extracted table, else the YAML's schema (default: the source's name). */
  readonly schema: string;
  /** The YAML's database, when the source lives in another database than the target's. */
  readonly database: string | null;
  /** dbt's loader: documentation only. */
  readonly loader: string;
  readonly relation_name: string;
  readonly loaded_at_field: string | null;
  readonly freshness: Freshness | null;
  readonly columns: Record<string, ColumnInfo>;
  readonly patch_path: string | null;
  /**
   * How the raw table marks deleted rows: `hard` when the load records tombstones (their
   * `_pgshift_deleted_at` is set), `soft_column` when the application sets a column of its own.
   * source_deleted_at() turns both into one expression for models.
   */
  readonly deletes: { readonly hard: boolean; readonly soft_column: string | null };
  /** pgshift.yml's primary_key; null for a mode append table, which has none (nothing may rely on one). */
  readonly primary_key: readonly string[] | null;
}

export type ManifestNode = ModelNode | SeedNode | TestNode | UnitTestNode | SnapshotNode;
export type AnyNode = ManifestNode | SourceNode;

export interface MacroEntry {
  readonly unique_id: string;
  readonly name: string;
  readonly original_file_path: string;
  readonly checksum: Checksum;
  /** The macro's `{% macro %}…{% endmacro %}` block, as written. */
  readonly macro_sql: string;
}

export interface SelectorEntry {
  readonly name: string;
  readonly description: string;
  readonly default: boolean;
  readonly definition: unknown;
}

export interface ManifestMetadata {
  readonly pgshift_schema_version: 'pgshift/manifest/v1';
  readonly generated_at: string;
  readonly project_name: string;
  readonly target: { name: string; type: 'postgres' | 'redshift'; schema: string };
}

export interface Manifest {
  readonly metadata: ManifestMetadata;
  /** Models, seeds, tests and unit tests, keyed by unique_id. */
  readonly nodes: Record<string, ManifestNode>;
  /** Source tables, keyed by unique_id (`source.shop.orders`). */
  readonly sources: Record<string, SourceNode>;
  readonly macros: Record<string, MacroEntry>;
  /** Models switched off with `enabled: false`; refs to them are errors. */
  readonly disabled: Record<string, { unique_id: string; name: string; resource_type: ResourceType; original_file_path: string }>;
  readonly parent_map: Record<string, string[]>;
  readonly child_map: Record<string, string[]>;
  readonly selectors: Record<string, SelectorEntry>;
  /** Every node id, parents before children. */
  readonly topological_order: string[];
  /** Non-fatal findings: unused folder config paths, log() output from templates. */
  readonly warnings: string[];
  /**
   * dbt_project.yml's on-run-start and on-run-end, unrendered (they render when the run starts
   * and ends); `packages` holds those of installed packages that declare any.
   */
  readonly run_hooks?: ProjectRunHooks & { readonly packages?: readonly PackageRunHooks[] };
  /**
   * dbt 1.5+ property-file entries kept as written, keyed `<type>.<project>.<name>` as in dbt's
   * manifest v12: unit_tests, semantic_models, metrics, saved_queries, exposures, groups.
   */
  readonly unit_tests?: Record<string, DbtPropertyEntry>;
  readonly semantic_models?: Record<string, DbtPropertyEntry>;
  readonly metrics?: Record<string, DbtPropertyEntry>;
  readonly saved_queries?: Record<string, DbtPropertyEntry>;
  readonly exposures?: Record<string, DbtPropertyEntry>;
  readonly groups?: Record<string, DbtPropertyEntry>;
}

export interface ProjectRunHooks {
  readonly on_run_start: readonly string[];
  readonly on_run_end: readonly string[];
}

/** An installed package's on-run-start and on-run-end; `file` is its dbt_project.yml. */
export interface PackageRunHooks extends ProjectRunHooks {
  readonly name: string;
  readonly file: string;
}

/** One property-file entry pgshift keeps but does not act on. */
export interface DbtPropertyEntry {
  readonly unique_id: string;
  readonly name: string;
  readonly original_file_path: string;
  readonly definition: Record<string, unknown>;
  /** Exposures: the nodes of `depends_on`, resolved; they are the exposure's parents in lineage and selection. */
  readonly depends_on?: { readonly nodes: readonly string[] };
}

/** A node of either map. */
export function getNode(manifest: Manifest, uniqueId: string): AnyNode | undefined {
  return manifest.nodes[uniqueId] ?? manifest.sources[uniqueId];
}

/** Every node of the graph: sources first, then models, seeds and tests. */
export function allNodes(manifest: Manifest): AnyNode[] {
  return [...Object.values(manifest.sources), ...Object.values(manifest.nodes)];
}
