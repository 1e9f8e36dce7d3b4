// Compiles a loaded project into a Manifest: renders every model once (dependencies are
// discovered by rendering, as in dbt), settles configs (in-file config() > schema.yml >
// folder config > defaults), renders tests, checks the graph and inlines ephemeral models.
// The same compiler re-renders single nodes at run time.

import { projectPaths, type Project } from '../config/project.js';
import nunjucks from 'nunjucks';
import { CompileError, ConfigError, errorMessage, PgshiftError } from '../errors.js';
import { buildDag, findCycle, topologicalOrder } from '../graph/dag.js';
import { parseSelectorsFile } from '../graph/yaml-selectors.js';
import { quoteIdent, quoteQualified } from '../sql/quote-ident.js';
import { BUILTIN_MACROS } from './builtin-macros.js';
import { byPath, type GenericTestEntry, type SeedEntry, type TemplateEntry } from './compile-entries.js';
import { resolveRuntime, type CompileContext, type RuntimeContext } from './compile-context.js';
import { ephemeralClosure, injectEphemeralCtes } from './ephemeral.js';
import { buildGenericTestEntries } from './generic-test-entries.js';
import { parseRelationArgument } from './generic-tests.js';
import { MacroRegistry, type MacroDefinition } from './macro-registry.js';
import type { AnyNode, DbtPropertyEntry, Manifest, ManifestNode, SourceNode, UnitTestNode } from '../manifest/manifest.js';
import { genericTestNode, modelNode, seedNode, singularTestNode, type NodeFacts } from './manifest-nodes.js';
import {
  mergeConfigLayers,
  resolveModelConfig,
  resolveSnapshotConfig,
  resolveTestConfig,
  type ConfigLayer,
  type ModelConfig,
  type SnapshotConfig,
} from '../manifest/node-config.js';
import { checkedSnapshotConfig, snapshotNode } from './snapshot-node.js';
import { compileTemplate, createEnvironment, renderTemplate, type Environment, type Template } from './nunjucks-env.js';
import type { ProjectFiles, TextFile } from './project-files.js';
import { loadProjectEntries } from './project-entries.js';
import {
  defaultSchemaName,
  EMPTY_FIXED_PREFIX,
  EMPTY_PREFIX,
  emptyRelationSql,
  ephemeralCteName,
  relationKey,
  resolveRelationTokens,
  type RelationParts,
} from './relation.js';
import { installGlobals, installMacro, RESERVED_NAMES } from './render-globals.js';
import { newRenderState, type RenderRecord, type RenderState } from './render-state.js';
import { KEPT_PROPERTY_KINDS, parseSchemaYml, type KeptPropertyKind, type SchemaFile } from './schema-yml.js';
import { buildSourceNodes, type SourceBuild } from './source-nodes.js';
import { ColumnLineage } from './column-lineage.js';
import { parseDocBlocks } from './doc-blocks.js';
import { resolveDocReferences } from './doc-references.js';
import { columnInfos } from './columns.js';
import { didYouMean } from '../util/suggest.js';
import type { NodeRenderer, RenderedNode, RunTimeFacts } from '../manifest/node-renderer.js';
import type { Operation, OperationRenderer, RenderedOperation } from '../manifest/operation-renderer.js';
import { templateFunctions, type TemplateFunctions } from './template-functions.js';
import { NeedsIntrospection } from '../manifest/introspection.js';
import { DBT_MACROS } from './dbt-macros.js';
import { dbtNamespace } from './dbt-namespace.js';
import { INTROSPECTION_NAMES, installIntrospection, type IntrospectionSession, newIntrospectionSession } from './introspection-functions.js';
import { graphContext } from './graph-context.js';
import { givenCteName, withGivenInputs } from './unit-test-inputs.js';
import { buildUnitTests, unitTestDefinitions } from './unit-tests.js';
import { PackageMacros } from './package-macros.js';

export type RenderOverrides = RunTimeFacts;
export type { RenderedNode };

/**
 * What compilation returns: the manifest, and the compiler that made it kept alive so one node
 * can be rendered again with run-time facts (is_incremental, the real interval). The renderer
 * travels with the manifest, so it works wherever the manifest is handed, not only in the
 * process and object that compiled it.
 */
export interface CompiledProject extends NodeRenderer, OperationRenderer {
  readonly manifest: Manifest;
  render(uniqueId: string, overrides?: RenderOverrides): RenderedNode;
}

export class ProjectCompiler {
  private readonly project: Project;
  private readonly env: Environment;
  private readonly registry: MacroRegistry;
  private readonly packages: PackageMacros;
  private readonly functions: TemplateFunctions;
  private runtime: RuntimeContext;
  /** Nodes being rendered, innermost last. */
  private readonly stack: RenderState[] = [];
  private readonly schemaFiles: SchemaFile[];
  private readonly models: Map<string, TemplateEntry>;
  private readonly seeds: Map<string, SeedEntry>;
  /** Model and seed names → unique id: what ref() resolves. */
  private readonly refable = new Map<string, string>();
  private readonly singularTests: Map<string, TemplateEntry>;
  private readonly testFolderLayers: (segments: readonly string[]) => ConfigLayer[];
  private readonly storeFailures: boolean;
  private genericTests = new Map<string, GenericTestEntry>();
  private unitTests: { enabled: UnitTestNode[]; disabled: UnitTestNode[] } = { enabled: [], disabled: [] };
  private readonly fixtures: readonly TextFile[];
  private readonly sources: SourceBuild[];
  private readonly sourceNodes: readonly SourceNode[];
  private readonly finalConfigs = new Map<string, ModelConfig>();
  private readonly hookTemplates = new Map<string, Template>();
  private readonly relationSqlCache = new Map<string, string>();
  private readonly selectors: Manifest['selectors'];
  private readonly warnings: string[] = [];
  private manifest: Manifest | undefined;
  private lineage: ColumnLineage | undefined;
  /** The render to run in progress, when it may ask the warehouse. */
  private introspection: IntrospectionSession | undefined;

  constructor(
    private readonly files: ProjectFiles,
    context: CompileContext,
  ) {
    this.project = files.project;
    this.storeFailures = context.storeFailures ?? false;
    this.runtime = resolveRuntime(this.project, context);
    this.env = createEnvironment();
    this.functions = templateFunctions({
      project: this.project,
      refable: this.refable,
      warnings: this.warnings,
      sources: () => this.sourceNodes,
      runtime: () => this.runtime,
      rendering: () => this.stack[this.stack.length - 1],
      modelConfig: (id) => this.modelConfig(id),
      readRelation: (id) => this.readRelation(id),
      computeIsIncremental: (id) => this.computeIsIncremental(id),
      recordRead: (state, read, value) => this.recordRead(state, read, value),
      dispatchTarget: (name, namespace) => this.dispatchTarget(name, namespace),
      callMacro: (macro, args) => this.callMacro(macro, args),
      piiClassOf: (column) => this.piiClassOf(column),
      graph: () => graphContext(this.manifest),
    });
    installGlobals(this.env, this.functions);
    installIntrospection(this.env, {
      facts: () => this.runtime.introspection,
      session: () => this.introspection,
      resolveSql: (sql) => this.resolveTokens(sql),
    });
    this.registry = new MacroRegistry(this.env, BUILTIN_MACROS, files.macros, this.project.name);
    this.packages = new PackageMacros(this.env, files.packages ?? [], {
      name: this.project.name,
      registry: this.registry,
      dispatch: this.project.dbt?.dispatch ?? [],
    });
    const dbt = new MacroRegistry(this.env, DBT_MACROS, [], 'dbt');
    installMacro(
      this.env,
      'dbt',
      dbtNamespace({
        project: this.registry,
        dbt,
        targetType: () => this.runtime.target.type,
        callMacro: (macro, args) => this.callMacro(macro, args),
      }) as never,
    );
    this.installMacros();
    const docBlocks = parseDocBlocks(files.docs ?? []);
    this.schemaFiles = [...files.schemaFiles]
      .sort(byPath)
      .map((file) => resolveDocReferences(parseSchemaYml(file.text, file.path), docBlocks, this.project.name));
    const entries = loadProjectEntries(this.project, files, this.schemaFiles, this.env, this.runtime);
    this.models = entries.models;
    this.seeds = entries.seeds;
    for (const [name, id] of entries.refable) this.refable.set(name, id);
    this.singularTests = entries.singularTests;
    this.testFolderLayers = entries.testFolderLayers;
    this.warnings.push(...entries.warnings);
    this.sources = buildSourceNodes(
      this.project,
      this.schemaFiles.flatMap((file) => file.sources),
    );
    this.sourceNodes = this.sources.map((build) => build.node);
    this.fixtures = files.fixtures ?? [];
    this.selectors = files.selectors ? parseSelectorsFile(files.selectors.text, files.selectors.path) : {};
  }

  /** Compiles everything once; later calls return the same manifest. */
  compile(): Manifest {
    if (this.manifest) return this.manifest;
    const models = [...this.models.values()];
    for (const entry of models) entry.record = this.renderEntry(entry, false);
    for (const entry of models) this.finalConfigs.set(entry.uniqueId, this.finalModelConfig(entry));
    // A render that read another model's schema or its own materialization before that was
    // settled is rendered again, now that every config is final.
    for (const entry of models) {
      if (!entry.record!.state.reads.every((read) => read())) entry.record = this.renderEntry(entry, false);
    }
    for (const test of this.singularTests.values()) test.record = this.renderEntry(test, false);
    this.genericTests = buildGenericTestEntries({
      projectName: this.project.name,
      schemaFiles: this.schemaFiles,
      refable: this.refable,
      sources: this.sources,
      registry: this.registry,
      testMacro: (testName, namespace, where) => this.packages.testMacro(testName, namespace, where),
      singularTests: this.singularTests,
      folderLayers: this.testFolderLayers,
      ref: (name) => this.functions.ref([name]),
      source: (sourceName, tableName) => this.functions.source(sourceName, tableName),
    });
    for (const test of this.genericTests.values()) test.record = this.renderGenericTest(test, false);
    this.unitTests = buildUnitTests(unitTestDefinitions(this.schemaFiles), {
      projectName: this.project.name,
      modelPaths: projectPaths(this.project).models,
      testPaths: projectPaths(this.project).tests,
      models: new Map(models.map((entry) => [entry.name, entry.uniqueId])),
      refable: this.refable,
      readsOf: (id) => {
        const state = this.models.get(id)!.record!.state;
        return [...state.refs, ...state.sourceIds];
      },
      isIncremental: (id) => this.finalConfigs.get(id)!.materialized === 'incremental',
      fixtures: this.fixtures,
    });
    this.manifest = this.assemble();
    return this.manifest;
  }

  /**
   * Renders one node again with run-time facts: which relations exist (is_incremental()),
   * --full-refresh, the interval, vars. Ephemeral models it refs are re-rendered too.
   */
  renderModel(uniqueId: string, overrides: RenderOverrides = {}): RenderedNode {
    const manifest = this.compile();
    if (!manifest.nodes[uniqueId] || manifest.nodes[uniqueId]!.resource_type === 'seed') {
      const known = Object.keys(manifest.nodes).filter((id) => !id.startsWith('seed.'));
      throw new CompileError(`cannot render ${uniqueId}: no such model or test${didYouMean(uniqueId, known)}`);
    }
    const saved = this.runtime;
    this.runtime = resolveRuntime(this.project, { ...overrides, target: saved.target }, saved);
    this.introspection = this.runtime.introspection ? newIntrospectionSession() : undefined;
    try {
      const records = new Map<string, RenderRecord>();
      const recordOf = (id: string): RenderRecord => {
        let record = records.get(id);
        if (!record) {
          record = this.renderFrozen(id);
          records.set(id, record);
        }
        return record;
      };
      const model = this.models.get(uniqueId);
      const config = this.finalConfigs.get(uniqueId);
      return {
        unique_id: uniqueId,
        compiled_code: this.finalSql(uniqueId, recordOf(uniqueId), recordOf),
        is_incremental: model ? this.computeIsIncremental(uniqueId) : false,
        pre_hook: model && config ? this.renderHooks(model, config.pre_hook, 'pre_hook') : [],
        post_hook: model && config ? this.renderHooks(model, config.post_hook, 'post_hook') : [],
      };
    } catch (error) {
      // However the template's error wrapped it, a render that stopped for the warehouse says so.
      const pending = this.introspection?.pending;
      if (pending) throw new NeedsIntrospection(pending);
      throw error;
    } finally {
      this.runtime = saved;
      this.introspection = undefined;
    }
  }

  /**
   * Renders a run hook or calls a macro for run-operation, with run-time facts, as a node
   * renders to run: `execute` is true and warehouse calls are answered (or asked for).
   */
  renderOperation(operation: Operation, overrides: RenderOverrides = {}): RenderedOperation {
    this.compile();
    const saved = this.runtime;
    this.runtime = resolveRuntime(this.project, { ...overrides, target: saved.target }, saved);
    this.introspection = this.runtime.introspection ? newIntrospectionSession() : undefined;
    try {
      return operation.kind === 'hook' ? this.renderRunHook(operation) : this.callOperationMacro(operation);
    } catch (error) {
      const pending = this.introspection?.pending;
      if (pending) throw new NeedsIntrospection(pending);
      throw error;
    } finally {
      this.runtime = saved;
      this.introspection = undefined;
    }
  }

  requireMacro(name: string): void {
    this.operationMacro(name);
  }

  private renderRunHook(hook: Extract<Operation, { kind: 'hook' }>): RenderedOperation {
    const key = `${hook.label}\n${hook.sql}`;
    let template = this.hookTemplates.get(key);
    if (!template) {
      template = compileTemplate(this.env, hook.sql, hook.label);
      this.hookTemplates.set(key, template);
    }
    this.stack.push(newRenderState(hook.uniqueId, hook.label, 'operation', hook.label, true));
    try {
      return { sql: this.resolveTokens(renderTemplate(template, hook.label, hook.context)) };
    } catch (error) {
      throw this.explainUnknownCall(error);
    } finally {
      this.stack.pop();
    }
  }

  private callOperationMacro(call: Extract<Operation, { kind: 'macro' }>): RenderedOperation {
    const macro = this.operationMacro(call.name);
    this.stack.push(newRenderState(`operation.${this.project.name}.${call.name}`, call.name, 'operation', macro.file, true));
    try {
      const value = this.callMacro(macro, [{ ...call.args, __keywords: true }]);
      // A macro that ends without return() yields its rendered text.
      if (value instanceof nunjucks.runtime.SafeString) return { sql: this.resolveTokens(String(value)) };
      return { sql: '', returned: typeof value === 'string' ? this.resolveTokens(value) : value };
    } finally {
      this.stack.pop();
    }
  }

  /** `name` or `package.name`: the root project's macro (or a built-in), or the package's. */
  private operationMacro(name: string): MacroDefinition {
    const dot = name.indexOf('.');
    const namespace = dot < 0 ? undefined : name.slice(0, dot);
    const bare = dot < 0 ? name : name.slice(dot + 1);
    const macro = namespace === undefined || namespace === this.project.name ? this.registry.get(bare) : this.packages.macro(namespace, bare);
    if (macro) return macro;
    const known = [...this.registry.names().filter((candidate) => !this.registry.get(candidate)!.builtin), ...this.packages.qualifiedNames()];
    throw new ConfigError(`run-operation: no macro named '${name}' in the project or its packages${didYouMean(name, known)}`, { macro: name });
  }

  // ---------------------------------------------------------------- macros and rendering

  private installMacros(): void {
    const reserved = new Set<string>([...RESERVED_NAMES, ...INTROSPECTION_NAMES, 'dbt']);
    for (const name of this.registry.names()) {
      const macro = this.registry.get(name)!;
      if (reserved.has(name)) {
        throw new CompileError(`${macro.file}: a macro cannot be named '${name}'; that name is part of the template context`, { file: macro.file });
      }
      installMacro(this.env, name, (...args: unknown[]) => this.callMacro(macro, args));
    }
    for (const name of this.registry.dispatchOnlyNames()) {
      if (!reserved.has(name)) installMacro(this.env, name, (...args: unknown[]) => this.callMacro(this.dispatchTarget(name), args));
    }
    this.packages.install(this.env, reserved, (macro, args) => this.callMacro(macro, args));
  }

  private callMacro(macro: MacroDefinition, args: unknown[]): unknown {
    if (macro.builtin) return macro.fn(...args);
    this.stack[this.stack.length - 1]?.macros.add(macro.uniqueId);
    try {
      return macro.fn(...args);
    } catch (error) {
      throw inMacro(error, macro);
    }
  }

  private dispatchTarget(name: string, namespace?: string): MacroDefinition {
    const type = this.runtime.target.type;
    // The root project's own namespace (and dbt's) search this project's macros, as before packages.
    if (namespace !== undefined && namespace !== this.project.name && namespace !== 'dbt') return this.packages.dispatchTarget(name, namespace, type);
    const macro = this.registry.resolveDispatch(name, type);
    if (macro) return macro;
    const candidates = MacroRegistry.dispatchCandidates(name, type);
    throw new CompileError(`macro '${name}' has no implementation for ${type}: define one of ${candidates.join(', ')}`, { macro: name });
  }

  private renderEntry(entry: TemplateEntry, frozen: boolean): RenderRecord {
    const state = newRenderState(entry.uniqueId, entry.name, entry.kind, entry.file.path, frozen);
    this.stack.push(state);
    try {
      return { state, output: renderTemplate(entry.template, entry.file.path) };
    } catch (error) {
      throw this.explainUnknownCall(error);
    } finally {
      this.stack.pop();
    }
  }

  /** Nunjucks says "Unable to call `x`, which is undefined or falsey"; name the macros instead. */
  private explainUnknownCall(error: unknown): unknown {
    if (!(error instanceof CompileError)) return error;
    const match = /^(.*?: )Unable to call `([\w.]+)`, which is undefined or falsey( \(in macro .*\))?$/.exec(error.message);
    if (!match) return error;
    const [, where, name, macro = ''] = match as unknown as [string, string, string, string | undefined];
    const known = [...this.registry.names(), ...this.registry.dispatchOnlyNames(), ...RESERVED_NAMES];
    return new CompileError(`${where}'${name}' is not a macro or a template function${didYouMean(name, known)}${macro}`, error.context, { cause: error });
  }

  private renderFrozen(uniqueId: string): RenderRecord {
    const entry = this.models.get(uniqueId) ?? this.singularTests.get(uniqueId);
    if (entry) return this.renderEntry(entry, true);
    return this.renderGenericTest(this.genericTests.get(uniqueId)!, true);
  }

  private renderGenericTest(test: GenericTestEntry, frozen: boolean): RenderRecord {
    const state = newRenderState(test.uniqueId, test.name, 'test', test.file, frozen);
    this.stack.push(state);
    try {
      const kwargs: Record<string, unknown> = { model: this.testModelArgument(test) };
      if (test.column) kwargs.column_name = test.column.quote ? quoteIdent(test.column.name) : test.column.name;
      for (const [key, value] of Object.entries(test.spec.args)) kwargs[key] = this.testArgument(value);
      const output = String(this.callMacro(test.macro, [{ ...kwargs, __keywords: true }]) ?? '');
      return { state, output };
    } catch (error) {
      if (error instanceof CompileError && error.context.file !== undefined) throw error;
      const message = error instanceof Error ? error.message : String(error);
      throw new CompileError(`${test.file}: ${test.spec.keyPath}: test ${test.name}: ${message}`, { file: test.file, test: test.name }, { cause: error });
    } finally {
      this.stack.pop();
    }
  }

  private testModelArgument(test: GenericTestEntry): unknown {
    // ref()/source() inside relation() also record the dependency on the tested node.
    const relation = test.relation();
    const where = test.config.where;
    if (!where) return relation;
    // dbt's `where:` filters the tested relation through a subquery.
    return { toString: () => `(select * from ${String(relation)} where ${where}) __pgshift_where` };
  }

  /** `to: ref('customers')` and `source(...)` strings become relations (and dependencies). */
  private testArgument(value: unknown): unknown {
    if (typeof value !== 'string') return value;
    const relation = parseRelationArgument(value);
    if (!relation) return value;
    return relation.kind === 'ref' ? this.functions.ref([relation.name]) : this.functions.source(relation.source, relation.table);
  }

  private renderHooks(entry: TemplateEntry, hooks: readonly string[], which: 'pre_hook' | 'post_hook'): string[] {
    if (hooks.length === 0) return [];
    this.stack.push(newRenderState(entry.uniqueId, entry.name, 'model', entry.file.path, true));
    try {
      return hooks.map((hook) => {
        const label = `${entry.file.path} (${which})`;
        let template = this.hookTemplates.get(hook);
        if (!template) {
          template = compileTemplate(this.env, hook, label);
          this.hookTemplates.set(hook, template);
        }
        return this.resolveTokens(renderTemplate(template, label));
      });
    } finally {
      this.stack.pop();
    }
  }

  /** In a generic test: the class of a column of the node it tests ('' when none or not a test). */
  private piiClassOf(column: string): string {
    const state = this.stack[this.stack.length - 1];
    const test = state ? this.genericTests.get(state.uniqueId) : undefined;
    if (!test) return '';
    return this.columnLineage().classOf(test.attachedId, column)?.pii ?? '';
  }

  /** PII classes by column lineage; only asked for once every config (and so every relation name) is final. */
  private columnLineage(): ColumnLineage {
    this.lineage ??= new ColumnLineage({
      modelSql: (id) => this.models.get(id)?.record?.output,
      declaredColumns: (id) => {
        const entry = this.models.get(id) ?? this.seeds.get(id);
        if (entry) return columnInfos(entry.patch?.columns ?? []);
        return this.sources.find((build) => build.node.unique_id === id)?.node.columns;
      },
      identifier: (id) => (this.models.has(id) || this.seeds.has(id) ? this.relationParts(id).identifier : id),
      sources: this.sources.map(({ node }) => ({ uniqueId: node.unique_id, schema: node.schema, identifier: node.identifier })),
      parents: (id) => {
        const state = this.models.get(id)?.record?.state;
        return state ? [...state.refs, ...state.sourceIds] : undefined;
      },
    });
    return this.lineage;
  }

  // ---------------------------------------------------------------- configs and relations

  /** The model's config as far as it is known: final after compile(), else base + config() so far. */
  private modelConfig(uniqueId: string): ModelConfig {
    const final = this.finalConfigs.get(uniqueId);
    if (final) return final;
    const entry = this.models.get(uniqueId)!;
    const rendering = this.stack.find((state) => state.uniqueId === uniqueId && !state.frozen);
    const inFile = rendering?.inFile ?? entry.record?.state.inFile ?? {};
    const layer = mergeConfigLayers(entry.baseLayer, inFile);
    return entry.kind === 'snapshot' ? resolveSnapshotConfig(layer) : resolveModelConfig(layer);
  }

  private finalModelConfig(entry: TemplateEntry): ModelConfig {
    if (entry.kind === 'snapshot') return checkedSnapshotConfig(entry, resolveSnapshotConfig(mergeConfigLayers(entry.baseLayer, entry.record!.state.inFile)));
    const config = resolveModelConfig(mergeConfigLayers(entry.baseLayer, entry.record!.state.inFile));
    if ((config.incremental_strategy === 'merge' || config.incremental_strategy === 'delete+insert') && config.unique_key === null) {
      throw new CompileError(`${entry.file.path}: incremental_strategy ${config.incremental_strategy} needs a unique_key`, {
        file: entry.file.path,
        model: entry.name,
      });
    }
    return config;
  }

  private get configsFinal(): boolean {
    return this.finalConfigs.size === this.models.size;
  }

  private recordRead(state: RenderState, read: () => unknown, value: unknown): void {
    if (state.frozen || this.configsFinal) return;
    const snapshot = JSON.stringify(value);
    state.reads.push(() => JSON.stringify(read()) === snapshot);
  }

  private computeIsIncremental(uniqueId: string): boolean {
    const config = this.modelConfig(uniqueId);
    // A unit test's override answers for the model it renders (unit-test-inputs.ts).
    if (this.runtime.isIncremental !== undefined) return this.runtime.isIncremental;
    if (config.materialized !== 'incremental') return false;
    // config full_refresh: false protects a model even from --full-refresh, as in dbt.
    if (config.full_refresh ?? this.runtime.fullRefresh) return false;
    const parts = this.relationParts(uniqueId);
    return parts.schema !== null && this.runtime.relationExists(parts.schema, parts.identifier);
  }

  private readRelation(uniqueId: string): RelationParts {
    // What relationSql renders stands for the relation's parts too (--defer, an audited version).
    const override = this.runtime.relationOverrides[uniqueId];
    if (override) return { schema: override.schema, identifier: override.identifier };
    const parts = this.relationParts(uniqueId);
    const state = this.stack[this.stack.length - 1];
    if (state && this.models.has(uniqueId)) this.recordRead(state, () => this.relationParts(uniqueId), parts);
    return parts;
  }

  private relationParts(uniqueId: string): RelationParts {
    const seed = this.seeds.get(uniqueId);
    if (seed) return { schema: this.schemaName(uniqueId, seed.config.schema), identifier: this.aliasName(uniqueId, seed.config.alias, seed.name) };
    const model = this.models.get(uniqueId)!;
    const config = this.modelConfig(uniqueId);
    // A snapshot's target_schema is used as written (dbt's legacy key); its schema is named as a model's.
    if (model.kind === 'snapshot' && (config as SnapshotConfig).target_schema)
      return { schema: (config as SnapshotConfig).target_schema, identifier: this.aliasName(uniqueId, config.alias, model.name) };
    if (config.materialized === 'ephemeral') return { schema: null, identifier: ephemeralCteName(model.name) };
    return { schema: this.schemaName(uniqueId, config.schema), identifier: this.aliasName(uniqueId, config.alias, model.name) };
  }

  /** dbt's generate_schema_name, replaceable by a project macro of that name. */
  private schemaName(uniqueId: string, custom: string | null): string {
    const macro = this.registry.get('generate_schema_name');
    if (!macro) return defaultSchemaName(this.runtime.target.schema, custom);
    return this.callNamingMacro(macro, [custom, this.nodeInfo(uniqueId)]);
  }

  private aliasName(uniqueId: string, custom: string | null, name: string): string {
    const macro = this.registry.get('generate_alias_name');
    if (!macro) return custom ?? name;
    return this.callNamingMacro(macro, [custom, this.nodeInfo(uniqueId)]);
  }

  private callNamingMacro(macro: MacroDefinition, args: unknown[]): string {
    const value = String(macro.fn(...args) ?? '').trim();
    if (!value) throw new CompileError(`${macro.file}: ${macro.name} returned an empty name`, { file: macro.file });
    return value;
  }

  private nodeInfo(uniqueId: string): Record<string, unknown> {
    const entry = this.models.get(uniqueId) ?? this.seeds.get(uniqueId) ?? this.singularTests.get(uniqueId);
    // A test naming the relation of its stored failures; generic tests have no file of their own.
    const generic = this.genericTests.get(uniqueId);
    return {
      unique_id: uniqueId,
      name: entry?.name ?? generic?.name ?? uniqueId,
      resource_type: uniqueId.split('.')[0],
      original_file_path: entry?.file.path ?? generic?.file ?? '',
    };
  }

  private relationSql(uniqueId: string, after = ''): string {
    if (uniqueId.startsWith(EMPTY_FIXED_PREFIX)) {
      const [quoted, identifier] = JSON.parse(uniqueId.slice(EMPTY_FIXED_PREFIX.length)) as [string, string];
      return emptyRelationSql(quoted, identifier, after);
    }
    if (uniqueId.startsWith(EMPTY_PREFIX)) {
      const id = uniqueId.slice(EMPTY_PREFIX.length);
      const sql = this.relationSql(id);
      // Given rows and ephemeral CTEs are no input data: they stay as they are.
      if (this.runtime.givenInputs[id] !== undefined || this.relationParts(id).schema === null) return sql;
      return emptyRelationSql(sql, this.relationParts(id).identifier, after);
    }
    if (this.runtime.givenInputs[uniqueId] !== undefined) return quoteIdent(givenCteName(uniqueId));
    const override = this.runtime.relationOverrides[uniqueId];
    if (override) return quoteQualified(override.schema, override.identifier);
    const known = this.relationSqlCache.get(uniqueId);
    if (known !== undefined) return known;
    if (!this.models.has(uniqueId) && !this.seeds.has(uniqueId)) throw new CompileError(`internal error: no relation for ${uniqueId}`);
    const parts = this.relationParts(uniqueId);
    const sql = parts.schema === null ? parts.identifier : quoteQualified(parts.schema, parts.identifier);
    // Names only stop changing once every config is final.
    if (this.configsFinal) this.relationSqlCache.set(uniqueId, sql);
    return sql;
  }

  private resolveTokens(sql: string): string {
    return resolveRelationTokens(sql, (id, after) => this.relationSql(id, after));
  }

  private finalSql(uniqueId: string, record: RenderRecord, recordOf: (id: string) => RenderRecord): string {
    const given = this.runtime.givenInputs;
    const refsOf = (id: string): readonly string[] => (id === uniqueId ? record.state.refs : recordOf(id).state.refs);
    // A given ephemeral model is read from its rows, not inlined.
    const isEphemeral = (id: string): boolean => given[id] === undefined && this.models.has(id) && this.modelConfig(id).materialized === 'ephemeral';
    const ctes = ephemeralClosure(uniqueId, refsOf, isEphemeral).map((id) => ({
      modelName: this.models.get(id)!.name,
      sql: this.resolveTokens(recordOf(id).output),
    }));
    return withGivenInputs(injectEphemeralCtes(this.resolveTokens(record.output), ctes), given);
  }

  // ---------------------------------------------------------------- manifest

  private assemble(): Manifest {
    const disabled: Manifest['disabled'] = {};
    const enabled = new Set<string>();
    const sources: Record<string, SourceNode> = {};
    const parentsOf = new Map<string, string[]>();
    const disable = (id: string, name: string, type: AnyNode['resource_type'], file: string): void => {
      disabled[id] = { unique_id: id, name, resource_type: type, original_file_path: file };
    };

    for (const { node } of this.sources) {
      if (!node.config.enabled) disable(node.unique_id, node.name, 'source', node.original_file_path);
      else {
        sources[node.unique_id] = node;
        enabled.add(node.unique_id);
        parentsOf.set(node.unique_id, []);
      }
    }
    for (const seed of this.seeds.values()) {
      if (!seed.config.enabled) disable(seed.uniqueId, seed.name, 'seed', seed.file.path);
      else {
        enabled.add(seed.uniqueId);
        parentsOf.set(seed.uniqueId, []);
      }
    }
    for (const model of this.models.values()) {
      if (this.finalConfigs.get(model.uniqueId)!.enabled) enabled.add(model.uniqueId);
      else disable(model.uniqueId, model.name, model.kind === 'snapshot' ? 'snapshot' : 'model', model.file.path);
    }
    const dependencies = (record: RenderRecord): string[] => [...record.state.refs, ...record.state.sourceIds];
    const requireEnabled = (file: string, name: string, record: RenderRecord): string[] => {
      const parents = dependencies(record);
      const off = parents.find((id) => !enabled.has(id));
      if (off)
        throw new CompileError(
          `${file}: ${name} depends on ${disabled[off]?.name ?? off} (${disabled[off]?.original_file_path ?? ''}), which is disabled (enabled: false)`,
          { file },
        );
      return parents;
    };
    for (const model of this.models.values()) {
      if (enabled.has(model.uniqueId)) parentsOf.set(model.uniqueId, requireEnabled(model.file.path, model.name, model.record!));
    }
    for (const test of this.singularTests.values()) {
      if (!resolveTestConfig(mergeConfigLayers(test.baseLayer, test.record!.state.inFile)).enabled) disable(test.uniqueId, test.name, 'test', test.file.path);
      else parentsOf.set(test.uniqueId, requireEnabled(test.file.path, test.name, test.record!));
    }
    for (const test of this.genericTests.values()) {
      const parents = [...new Set([test.attachedId, ...dependencies(test.record!)])];
      // Tests of a disabled model (or pointing at one) are disabled with it, as in dbt.
      if (!test.config.enabled || parents.some((id) => !enabled.has(id))) disable(test.uniqueId, test.name, 'test', test.file);
      else parentsOf.set(test.uniqueId, parents);
    }
    // A unit test hangs off its model, as dbt's manifest has it; plan-run.ts runs it first.
    for (const test of this.unitTests.disabled) disable(test.unique_id, test.name, 'unit_test', test.original_file_path);
    for (const test of this.unitTests.enabled) {
      if (enabled.has(test.attached_node)) parentsOf.set(test.unique_id, [test.attached_node]);
      else disable(test.unique_id, test.name, 'unit_test', test.original_file_path);
    }
    this.checkRelationsUnique(enabled);

    const dag = buildDag(parentsOf);
    const cycle = findCycle(dag);
    if (cycle) {
      const names = cycle.map((id) => this.displayName(id));
      throw new CompileError(`found a dependency cycle: ${names.join(' -> ')}`, { cycle: names.join(' -> ') });
    }
    const nodes: Record<string, ManifestNode> = {};
    const facts = this.nodeFacts();
    const unitTests = new Map(this.unitTests.enabled.map((test) => [test.unique_id, test]));
    for (const id of [...parentsOf.keys()].sort()) {
      const unitTest = unitTests.get(id);
      const model = this.models.get(id);
      const seed = this.seeds.get(id);
      const singular = this.singularTests.get(id);
      const generic = this.genericTests.get(id);
      if (unitTest) nodes[id] = unitTest;
      else if (model) nodes[id] = model.kind === 'snapshot' ? snapshotNode(model, facts) : modelNode(model, facts);
      else if (seed) nodes[id] = seedNode(seed, facts);
      else if (singular) nodes[id] = singularTestNode(singular, facts);
      else if (generic) nodes[id] = genericTestNode(generic, facts);
    }
    const parentMap: Record<string, string[]> = {};
    const childMap: Record<string, string[]> = {};
    for (const id of dag.nodes) {
      parentMap[id] = [...(dag.parents.get(id) ?? [])];
      childMap[id] = [...(dag.children.get(id) ?? [])];
    }
    return {
      metadata: {
        pgshift_schema_version: 'pgshift/manifest/v1',
        generated_at: this.runtime.runStartedAt,
        project_name: this.project.name,
        target: { name: this.runtime.target.name, type: this.runtime.target.type, schema: this.runtime.target.schema },
      },
      nodes,
      sources,
      macros: { ...this.registry.manifestEntries(), ...this.packages.manifestEntries() },
      disabled: Object.fromEntries(Object.entries(disabled).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
      parent_map: parentMap,
      child_map: childMap,
      selectors: this.selectors,
      topological_order: topologicalOrder(dag),
      warnings: [...this.warnings],
      ...this.runHooks(),
      ...this.keptProperties(),
    };
  }

  /** dbt_project.yml's run hooks, and those of the installed packages that declare any. */
  private runHooks(): Pick<Manifest, 'run_hooks'> {
    const dbt = this.project.dbt;
    const packages = (this.files.packages ?? [])
      .filter((pkg) => (pkg.onRunStart?.length ?? 0) + (pkg.onRunEnd?.length ?? 0) > 0)
      .map((pkg) => ({ name: pkg.name, file: `${pkg.dir}/dbt_project.yml`, on_run_start: pkg.onRunStart ?? [], on_run_end: pkg.onRunEnd ?? [] }));
    if (!dbt && packages.length === 0) return {};
    return { run_hooks: { on_run_start: dbt?.onRunStart ?? [], on_run_end: dbt?.onRunEnd ?? [], ...(packages.length > 0 ? { packages } : {}) } };
  }

  /** dbt 1.5+ property entries (unit_tests, exposures, groups …), keyed as dbt's manifest keys them. */
  private keptProperties(): Partial<Record<KeptPropertyKind, Record<string, DbtPropertyEntry>>> {
    const kept: Partial<Record<KeptPropertyKind, Record<string, DbtPropertyEntry>>> = {};
    const prefix: Record<KeptPropertyKind, string> = {
      unit_tests: 'unit_test',
      semantic_models: 'semantic_model',
      metrics: 'metric',
      saved_queries: 'saved_query',
      exposures: 'exposure',
      groups: 'group',
    };
    for (const schemaFile of this.schemaFiles) {
      for (const kind of KEPT_PROPERTY_KINDS) {
        for (const definition of schemaFile.kept?.[kind] ?? []) {
          const name = String(definition.name);
          // dbt keys a unit test by its model too: unit_test.<project>.<model>.<name>.
          const model = kind === 'unit_tests' && typeof definition.model === 'string' ? `${definition.model}.` : '';
          const uniqueId = `${prefix[kind]}.${this.project.name}.${model}${name}`;
          kept[kind] ??= {};
          const entries = kept[kind];
          if (entries[uniqueId]) {
            throw new CompileError(`${schemaFile.file}: ${kind} ${name} is already defined in ${entries[uniqueId]!.original_file_path}`, {
              file: schemaFile.file,
            });
          }
          entries[uniqueId] = {
            unique_id: uniqueId,
            name,
            original_file_path: schemaFile.file,
            definition,
            ...(kind === 'exposures' ? { depends_on: { nodes: this.exposureParents(definition, schemaFile.file) } } : {}),
          };
        }
      }
    }
    return kept;
  }

  /**
   * An exposure's `depends_on: [ref('orders'), source('shop', 'orders')]` as node ids: it joins
   * the lineage and the selection (`+exposure:dashboard`), so a name that matches nothing is an
   * error, as in dbt. https://docs.getdbt.com/reference/exposure-properties
   */
  private exposureParents(definition: Record<string, unknown>, file: string): string[] {
    const where = `${file}: exposures ${String(definition.name)}`;
    const dependsOn = definition.depends_on ?? [];
    if (!Array.isArray(dependsOn)) throw new CompileError(`${where}: depends_on must be a list such as ["ref('orders')"]`, { file });
    return dependsOn.map((entry) => {
      const relation = typeof entry === 'string' ? parseRelationArgument(entry) : undefined;
      if (!relation) throw new CompileError(`${where}: depends_on entry ${JSON.stringify(entry)} is not ref('model') or source('source', 'table')`, { file });
      if (relation.kind === 'ref') {
        const id = this.refable.get(relation.name);
        if (!id)
          throw new CompileError(
            `${where}: depends on ref('${relation.name}'), which matches no model, seed or snapshot${didYouMean(relation.name, this.refable.keys())}`,
            { file },
          );
        return id;
      }
      const source = this.sourceNodes.find((node) => node.source_name === relation.source && node.table_name === relation.table);
      if (!source) throw new CompileError(`${where}: depends on source('${relation.source}', '${relation.table}'), which no source declares`, { file });
      return source.unique_id;
    });
  }

  private nodeFacts(): NodeFacts {
    const recordOf = (id: string): RenderRecord => this.models.get(id)!.record!;
    return {
      projectName: this.project.name,
      finalConfig: (id) => this.finalConfigs.get(id)!,
      schemaName: (id, custom) => this.schemaName(id, custom),
      aliasName: (id, custom, name) => this.aliasName(id, custom, name),
      relationParts: (id) => this.relationParts(id),
      finalSql: (id, record) => this.finalSql(id, record, recordOf),
      renderHooks: (entry, hooks, which) => this.renderHooks(entry, hooks, which),
      displayName: (id) => this.displayName(id),
      columnClasses: (id) => this.columnLineage().classesOf(id),
      paths: projectPaths(this.project),
      storeFailures: this.storeFailures,
    };
  }

  private checkRelationsUnique(enabled: ReadonlySet<string>): void {
    const owners = new Map<string, string>();
    const claim = (id: string, file: string): void => {
      const parts = this.relationParts(id);
      if (parts.schema === null) return;
      const key = relationKey(parts.schema, parts.identifier);
      const other = owners.get(key);
      if (other)
        throw new CompileError(`${other} and ${file} both build ${quoteQualified(parts.schema, parts.identifier)}; give one of them another alias or schema`, {
          file,
        });
      owners.set(key, file);
    };
    for (const seed of this.seeds.values()) if (enabled.has(seed.uniqueId)) claim(seed.uniqueId, seed.file.path);
    for (const model of this.models.values()) if (enabled.has(model.uniqueId)) claim(model.uniqueId, model.file.path);
  }

  private displayName(id: string): string {
    return (
      this.models.get(id)?.name ??
      this.seeds.get(id)?.name ??
      this.singularTests.get(id)?.name ??
      this.genericTests.get(id)?.name ??
      this.sources.find((build) => build.node.unique_id === id)?.node.name ??
      id
    );
  }
}

/** Compiles a project (pure: everything was read before, e.g. by loadProjectFiles). */
export function compileProject(files: ProjectFiles, context: CompileContext): CompiledProject {
  const compiler = new ProjectCompiler(files, context);
  const manifest = compiler.compile();
  return {
    manifest,
    render: (uniqueId, overrides = {}) => compiler.renderModel(uniqueId, overrides),
    renderOperation: (operation, overrides = {}) => compiler.renderOperation(operation, overrides),
    requireMacro: (name) => compiler.requireMacro(name),
  };
}

/**
 * An error raised inside a project macro, with the macro's name, file and line added: the
 * model's render reports only the line of the model that called it. The innermost macro wins.
 */
function inMacro(error: unknown, macro: MacroDefinition): unknown {
  if (error instanceof PgshiftError && error.context.macroFile !== undefined) return error;
  // The line the macro's file last ran is the failing one unless it lies before the macro (then
  // nothing in the macro set it yet); the macro's own tag is the fallback.
  const reached = macro.lastLine();
  const line = reached !== undefined && macro.line !== undefined && reached >= macro.line ? reached : macro.line;
  const at = line === undefined ? macro.file : `${macro.file}:${line}`;
  const context = { ...(error instanceof PgshiftError ? error.context : {}), macro: macro.name, macroFile: macro.file, macroLine: line };
  return new CompileError(`${errorMessage(error)} (in macro ${macro.name}, ${at})`, context, { cause: error });
}
