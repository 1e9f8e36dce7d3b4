// What a compilation is for: the target, --vars, the environment, the run's interval and
// start time, --full-refresh, and which relations already exist (for is_incremental()).

import type { Project } from '../config/project.js';
import { readYaml } from '../config/read-yaml.js';
import { ConfigError } from '../errors.js';
import { relationKey } from './relation.js';
import { isRecord } from '../util/zod-issue.js';
import type { IntrospectionFacts } from '../manifest/introspection.js';
import type { RunTimeFacts } from '../manifest/node-renderer.js';

export interface CompileTarget {
  readonly name: string;
  readonly type: 'postgres' | 'redshift';
  readonly schema: string;
}

export interface CompileContext extends RunTimeFacts {
  readonly target: CompileTarget;
  /** --store-failures: a test whose config says neither store_failures nor store_failures_as stores its failures as a table. */
  readonly storeFailures?: boolean;
}

/** The context with every default filled in; what templates see. */
export interface RuntimeContext {
  readonly target: CompileTarget & { readonly threads: number };
  readonly vars: Readonly<Record<string, unknown>>;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly interval: { readonly start: string; readonly end: string };
  readonly runStartedAt: string;
  readonly fullRefresh: boolean;
  readonly relationExists: (schema: string, identifier: string) => boolean;
  /** Only for the one render they are given to; never inherited by a later render. */
  readonly relationOverrides: NonNullable<RunTimeFacts['relationOverrides']>;
  /** Like relationOverrides, only for the one render they are given to. */
  readonly givenInputs: NonNullable<RunTimeFacts['givenInputs']>;
  readonly isIncremental?: boolean;
  /** --empty, only for the one render it is given to: ref() and source() read no rows. */
  readonly empty: boolean;
  readonly onLog?: (message: string, node: string) => void;
  /** Present only in a render to run (never inherited): the warehouse's answers so far. */
  readonly introspection?: IntrospectionFacts;
}

export function resolveRuntime(project: Project, context: CompileContext, base?: RuntimeContext): RuntimeContext {
  const runStartedAt = context.runStartedAt ?? base?.runStartedAt ?? new Date().toISOString();
  const existing = context.existingRelations;
  const relationExists =
    context.relationExists ??
    (existing ? (schema: string, identifier: string) => existing.has(relationKey(schema, identifier)) : undefined) ??
    base?.relationExists ??
    (() => false);
  return {
    target: { ...context.target, threads: project.threads },
    vars: { ...project.raw.vars, ...(base?.vars ?? {}), ...context.vars },
    env: context.env ?? base?.env ?? {},
    interval: context.interval ?? base?.interval ?? dayBefore(runStartedAt),
    runStartedAt,
    fullRefresh: context.fullRefresh ?? base?.fullRefresh ?? false,
    relationExists,
    relationOverrides: context.relationOverrides ?? {},
    givenInputs: context.givenInputs ?? {},
    isIncremental: context.isIncremental,
    empty: context.empty ?? false,
    onLog: context.onLog ?? base?.onLog,
    introspection: context.introspection,
  };
}

/** Parses `--vars '{key: value}'` (YAML or JSON). */
export function parseCliVars(text: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = readYaml(text, '--vars');
  } catch (error) {
    const reason = error instanceof ConfigError ? error.message.replace(/^--vars(:\d+)?: invalid YAML: /, '') : String(error);
    throw new ConfigError(`--vars: cannot parse ${JSON.stringify(text)} as YAML or JSON: ${reason}`, {}, { cause: error });
  }
  if (value === null || value === undefined) return {};
  if (!isRecord(value)) throw new ConfigError(`--vars must be a mapping such as '{start_date: "2024-01-01"}', got ${JSON.stringify(text)}`);
  return value;
}

function dayBefore(iso: string): { start: string; end: string } {
  const end = new Date(iso);
  if (Number.isNaN(end.getTime())) throw new ConfigError(`run start time ${JSON.stringify(iso)} is not an ISO timestamp`);
  end.setUTCHours(0, 0, 0, 0);
  const start = new Date(end.getTime() - 86_400_000);
  return { start: start.toISOString(), end: end.toISOString() };
}
