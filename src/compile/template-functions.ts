// The functions templates call (ref, source, config, var, env_var, this, is_incremental,
// adapter, log, exceptions), bound to the node being rendered. ref() and source() record
// dependencies on that node; reads that could still change are remembered for re-checking.

import type { Project } from '../config/project.js';
import type { SourceNode } from '../manifest/manifest.js';
import { CompileError } from '../errors.js';
import { quoteIdent } from '../sql/quote-ident.js';
import { DELETED_AT_COLUMN } from '../batch/deleted-at-column.js';
import type { RuntimeContext } from './compile-context.js';
import { validateConfigLayer } from './config-layer.js';
import type { MacroDefinition } from './macro-registry.js';
import { mergeConfigLayers, resolveTestConfig, type ModelConfig } from '../manifest/node-config.js';
import { DeferredRelation, FixedRelation, type RelationParts } from './relation.js';
import type { RenderHost } from './render-globals.js';
import { addRef, addSource, hasRelation, type RenderState } from './render-state.js';
import { givenRelation } from './unit-test-inputs.js';
import { didYouMean } from '../util/suggest.js';
import { isRecord } from '../util/zod-issue.js';

/** What the functions need from the compiler. */
export interface TemplateScope {
  readonly project: Project;
  /** Model and seed names → unique id. */
  readonly refable: ReadonlyMap<string, string>;
  readonly warnings: string[];
  /** Every source table: pgshift.yml's and those only dbt YAML declares. */
  sources(): readonly SourceNode[];
  runtime(): RuntimeContext;
  /** The node being rendered, if any. */
  rendering(): RenderState | undefined;
  modelConfig(uniqueId: string): ModelConfig;
  /** A relation's parts, remembered as read by the node being rendered. */
  readRelation(uniqueId: string): RelationParts;
  computeIsIncremental(uniqueId: string): boolean;
  recordRead(state: RenderState, read: () => unknown, value: unknown): void;
  dispatchTarget(name: string, namespace?: string): MacroDefinition;
  callMacro(macro: MacroDefinition, args: unknown[]): unknown;
  /** The PII class of a column of the node the rendering test is attached to; '' when none. */
  piiClassOf(column: string): string;
  /** dbt's graph context: nodes and sources of the manifest, empty while it is being compiled. */
  graph(): unknown;
}

export interface TemplateFunctions extends RenderHost {
  ref(args: unknown[]): DeferredRelation;
  source(sourceName: unknown, tableName: unknown): FixedRelation;
}

export function templateFunctions(scope: TemplateScope): TemplateFunctions {
  const current = (caller: string): RenderState => {
    const state = scope.rendering();
    if (!state) throw new CompileError(`${caller}() can only be called while a model or test renders`);
    return state;
  };
  const targetDatabase = (): string | null => scope.runtime().target.database;
  const positional = (args: unknown[]): unknown[] => args.filter((arg) => !(isRecord(arg) && '__keywords' in arg));
  const relationOf = (uniqueId: string, empty = false): DeferredRelation =>
    new DeferredRelation(uniqueId, (id) => scope.readRelation(id), targetDatabase, empty);

  return {
    ref(args) {
      const state = current('ref');
      const names = positional(args);
      if (names.length < 1 || names.length > 2 || names.some((arg) => typeof arg !== 'string')) {
        throw new CompileError(`ref() takes a model or seed name, as in ref('stg_orders')`);
      }
      if (names.length === 2 && names[0] !== scope.project.name) {
        throw new CompileError(`ref('${String(names[0])}', '${String(names[1])}'): pgshift builds no package models; every model lives in this project`);
      }
      const name = names[names.length - 1] as string;
      const uniqueId = scope.refable.get(name);
      if (!uniqueId) throw new CompileError(`ref('${name}') does not match any model or seed${didYouMean(name, scope.refable.keys())}`, { node: state.name });
      addRef(state, uniqueId, name);
      return relationOf(uniqueId, scope.runtime().empty);
    },

    source(sourceName, tableName) {
      const state = current('source');
      if (typeof sourceName !== 'string' || typeof tableName !== 'string') {
        throw new CompileError(`source() takes a source and a table name, as in source('shop', 'orders')`);
      }
      const tables = scope.sources().filter((node) => node.source_name === sourceName);
      if (tables.length === 0) {
        const names = [...new Set(scope.sources().map((node) => node.source_name))];
        throw new CompileError(
          `source('${sourceName}', '${tableName}'): no source '${sourceName}' in pgshift.yml or a schema.yml${didYouMean(sourceName, names)}`,
          { node: state.name },
        );
      }
      const node = tables.find((candidate) => candidate.table_name === tableName);
      if (!node) {
        const names = tables.map((candidate) => candidate.table_name);
        throw new CompileError(`source('${sourceName}', '${tableName}'): source '${sourceName}' has no table '${tableName}'${didYouMean(tableName, names)}`, {
          node: state.name,
        });
      }
      const uniqueId = node.unique_id;
      addSource(state, uniqueId, sourceName, tableName);
      if (scope.runtime().givenInputs[uniqueId] !== undefined) return givenRelation(uniqueId, tableName);
      const empty = scope.runtime().empty;
      if (node.database !== null) return new FixedRelation(node.schema, node.identifier, () => node.database, true, empty);
      return new FixedRelation(node.schema, node.identifier, targetDatabase, false, empty);
    },

    config(args) {
      const state = current('config');
      // At run time the config is already settled; config() only renders nothing.
      if (state.frozen) return '';
      const raw: Record<string, unknown> = {};
      for (const arg of args) {
        if (!isRecord(arg)) throw new CompileError(`config() takes keyword arguments, as in config(materialized='table')`);
        Object.assign(raw, arg);
      }
      delete raw.__keywords;
      const result = validateConfigLayer(state.kind === 'operation' ? 'test' : state.kind, raw, '');
      if (!result.ok) throw new CompileError(`config(): ${result.problem}`);
      state.inFile = mergeConfigLayers(state.inFile, result.layer);
      return '';
    },

    configGet(key, fallback) {
      return configValue(scope, current('config.get'), String(key), fallback, false);
    },

    configRequire(key) {
      return configValue(scope, current('config.require'), String(key), undefined, true);
    },

    variable(args) {
      const state = current('var');
      const [name, ...rest] = positional(args);
      if (typeof name !== 'string') throw new CompileError(`var() takes a variable name, as in var('start_date')`);
      const vars = scope.runtime().vars;
      if (Object.hasOwn(vars, name)) return vars[name];
      if (rest.length > 0) return rest[0];
      throw new CompileError(
        `var('${name}') is not set for ${state.kind} ${state.name}: add it under vars: in pgshift.yml, pass --vars '{${name}: …}', or give a default: var('${name}', …)`,
        { node: state.name, var: name },
      );
    },

    envVar(args) {
      const [name, ...rest] = positional(args);
      if (typeof name !== 'string') throw new CompileError(`env_var() takes a variable name, as in env_var('SHOP_REGION')`);
      const value = scope.runtime().env[name];
      if (value !== undefined) return value;
      if (rest.length > 0) return rest[0];
      throw new CompileError(`env_var('${name}') is not set in the environment and has no default; set ${name} or write env_var('${name}', 'default')`, {
        var: name,
      });
    },

    thisRelation() {
      const state = scope.rendering();
      return state && hasRelation(state.kind) ? relationOf(state.uniqueId) : undefined;
    },

    isIncremental() {
      const state = scope.rendering();
      if (state?.kind !== 'model') return false;
      const read = (): boolean => scope.computeIsIncremental(state.uniqueId);
      const value = read();
      scope.recordRead(state, read, value);
      return value;
    },

    target: () => scope.runtime().target,
    // Run-time renders are the frozen ones (manifest/node-renderer.ts render()).
    execute: () => scope.rendering()?.frozen ?? false,
    graph: () => scope.graph(),
    interval: () => scope.runtime().interval,
    runStartedAt: () => scope.runtime().runStartedAt,

    dispatch(name, namespace) {
      if (typeof name !== 'string') throw new CompileError('adapter.dispatch() takes a macro name');
      if (namespace !== undefined && namespace !== null && typeof namespace !== 'string') {
        throw new CompileError(`adapter.dispatch('${name}', …): the second argument is a package name, as in 'dbt_utils'`);
      }
      const macro = scope.dispatchTarget(name, namespace ?? undefined);
      return (...args: unknown[]) => scope.callMacro(macro, args);
    },

    quote: (identifier) => quoteIdent(String(identifier)),

    log(message) {
      scope.runtime().onLog?.(String(message), scope.rendering()?.name ?? '');
      return '';
    },

    sourceDeletedAt(sourceName, tableName, alias) {
      const state = current('source_deleted_at');
      const table = scope.project.tables.find((candidate) => candidate.source === sourceName && candidate.name === tableName);
      if (!table) {
        throw new CompileError(
          `source_deleted_at('${String(sourceName)}', '${String(tableName)}'): pgshift.yml lists no such table${didYouMean(
            `${String(sourceName)}.${String(tableName)}`,
            scope.project.tables.map((candidate) => candidate.id),
          )}`,
          { node: state.name },
        );
      }
      if (alias !== undefined && alias !== null && typeof alias !== 'string')
        throw new CompileError(`source_deleted_at(): the third argument is a table alias, as in 'orders'`);
      const column = (name: string) => (alias ? `${quoteIdent(alias)}.${quoteIdent(name)}` : quoteIdent(name));
      // The application's own time first: it says when the row was deleted; a tombstone says
      // only when an extract first found it gone.
      const markers = [...(table.softDeleteColumn ? [column(table.softDeleteColumn)] : []), ...(table.deletes === 'detect' ? [column(DELETED_AT_COLUMN)] : [])];
      if (markers.length === 0) return 'cast(null as timestamp with time zone)';
      return markers.length === 1 ? markers[0]! : `coalesce(${markers.join(', ')})`;
    },

    raiseCompilerError(message) {
      throw new CompileError(String(message));
    },

    warn(message) {
      scope.warnings.push(`${scope.rendering()?.file ?? 'template'}: ${String(message)}`);
      return '';
    },

    piiClassOf(column) {
      if (typeof column !== 'string') throw new CompileError('pii_class_of() takes a column name');
      return scope.piiClassOf(column);
    },
  };
}

function configValue(scope: TemplateScope, state: RenderState, name: string, fallback: unknown, required: boolean): unknown {
  const read = (): unknown => {
    const config: Record<string, unknown> = hasRelation(state.kind) ? { ...scope.modelConfig(state.uniqueId) } : { ...resolveTestConfig(state.inFile) };
    return config[name];
  };
  const value = read();
  if (hasRelation(state.kind)) scope.recordRead(state, read, value);
  if (value !== undefined && value !== null) return value;
  if (required) throw new CompileError(`config '${name}' is required for ${state.kind} ${state.name} but is not set`);
  return fallback ?? null;
}
