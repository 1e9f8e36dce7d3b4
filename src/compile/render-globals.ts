// The names a model, test or macro can use: ref, source, config, var, env_var, this,
// is_incremental, target, interval, run_started_at, adapter, log, exceptions, plus every
// macro. They are Environment globals installed once; the values that change per model
// (this, …) are getters reading the compiler's current render, so macros compiled once
// still see the model that is calling them.

import { JINJA_GLOBAL_NAMES, jinjaGlobals } from './jinja-builtins.js';
import type { Environment } from './nunjucks-env.js';
import type { TemplateTarget } from './compile-context.js';

/** What the globals need from the compiler; it knows which node is being rendered. */
export interface RenderHost {
  ref(args: unknown[]): unknown;
  source(sourceName: unknown, tableName: unknown): unknown;
  /** When a source row was deleted (a tombstone's time or the soft-delete column), as SQL; NULL while live. */
  sourceDeletedAt(sourceName: unknown, tableName: unknown, alias: unknown): string;
  config(args: unknown[]): string;
  configGet(key: unknown, fallback: unknown): unknown;
  configRequire(key: unknown): unknown;
  variable(args: unknown[]): unknown;
  envVar(args: unknown[]): unknown;
  thisRelation(): unknown;
  isIncremental(): boolean;
  target(): TemplateTarget;
  /** dbt's `execute`: false while the manifest is compiled, true when a node is rendered to run. */
  execute(): boolean;
  /** dbt's `graph`: the manifest's nodes and sources, once there is a manifest (at run time). */
  graph(): unknown;
  interval(): Readonly<{ start: string; end: string }>;
  runStartedAt(): string;
  /** `adapter.dispatch(name, macro_namespace)`; the namespace may come as a keyword. */
  dispatch(name: unknown, namespace?: unknown): (...args: unknown[]) => unknown;
  quote(identifier: unknown): string;
  log(message: unknown): string;
  raiseCompilerError(message: unknown): never;
  warn(message: unknown): string;
  /** In a generic test: the PII class of a column of the tested node, declared or inherited; '' when none. */
  piiClassOf(column: unknown): string;
}

/** Names a macro may not take, because templates rely on them. */
export const RESERVED_NAMES = [
  'ref',
  'source',
  'source_deleted_at',
  'config',
  'var',
  'env_var',
  'this',
  'is_incremental',
  'target',
  'interval',
  'run_started_at',
  'adapter',
  'log',
  'exceptions',
  'pii_class_of',
  'execute',
  'graph',
  ...JINJA_GLOBAL_NAMES,
] as const;

export function installGlobals(env: Environment, host: RenderHost): void {
  const globals = (env as unknown as { globals: Record<string, unknown> }).globals;
  const config = (...args: unknown[]): string => host.config(args);
  config.get = (key: unknown, fallback?: unknown): unknown => host.configGet(key, fallback);
  config.require = (key: unknown): unknown => host.configRequire(key);
  Object.assign(
    globals,
    jinjaGlobals(() => host.runStartedAt()),
    {
      ref: (...args: unknown[]) => host.ref(args),
      source: (sourceName: unknown, tableName: unknown) => host.source(sourceName, tableName),
      source_deleted_at: (sourceName: unknown, tableName: unknown, alias?: unknown) => host.sourceDeletedAt(sourceName, tableName, alias),
      config,
      var: (...args: unknown[]) => host.variable(args),
      env_var: (...args: unknown[]) => host.envVar(args),
      is_incremental: () => host.isIncremental(),
      adapter: {
        dispatch: (name: unknown, namespace?: unknown) => host.dispatch(name, keyword(namespace, 'macro_namespace')),
        quote: (identifier: unknown) => host.quote(identifier),
        type: () => host.target().type,
      },
      log: (message: unknown) => host.log(message),
      pii_class_of: (column: unknown) => host.piiClassOf(column),
      exceptions: {
        raise_compiler_error: (message: unknown) => host.raiseCompilerError(message),
        warn: (message: unknown) => host.warn(message),
      },
    },
  );
  const dynamic: Record<string, () => unknown> = {
    this: () => host.thisRelation(),
    target: () => host.target(),
    interval: () => host.interval(),
    run_started_at: () => host.runStartedAt(),
    execute: () => host.execute(),
    graph: () => host.graph(),
  };
  for (const [name, get] of Object.entries(dynamic)) {
    Object.defineProperty(globals, name, { get, enumerable: true, configurable: true });
  }
}

/** A Jinja call's argument, or the keyword `name` when the call passed keywords (`macro_namespace='x'`). */
function keyword(value: unknown, name: string): unknown {
  if (typeof value === 'object' && value !== null && (value as { __keywords?: boolean }).__keywords) return (value as Record<string, unknown>)[name];
  return value;
}

/** Installs a macro (or a dispatching wrapper) as a global. */
export function installMacro(env: Environment, name: string, fn: (...args: unknown[]) => unknown): void {
  (env as unknown as { globals: Record<string, unknown> }).globals[name] = fn;
}
