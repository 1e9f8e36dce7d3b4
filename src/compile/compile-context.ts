// What a compilation is for: the target, --vars, the environment, the run's interval and
// start time, --full-refresh, and which relations already exist (for is_incremental()).

import type { Project } from '../config/project.js';
import type { TemplateSetting, UnrenderedSetting } from '../config/profile-target.js';
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
  /** The warehouse database (dbname); null when the target does not say (an unset connection URL). */
  readonly database?: string | UnrenderedSetting | null;
  /** The profiles.yml profile the target comes from; null for a pgshift.yml target. */
  readonly profile_name?: string | null;
  /** The target's other settings that are not secrets (host, port, user, cluster_id …), as templates read them. */
  readonly settings?: Readonly<Record<string, TemplateSetting>>;
}

/** dbt's `target`: https://docs.getdbt.com/reference/dbt-jinja-functions/target */
export interface TemplateTarget extends Readonly<Record<string, unknown>> {
  readonly name: string;
  readonly type: 'postgres' | 'redshift';
  readonly schema: string;
  readonly threads: number;
  readonly database: string | null;
  readonly dbname: string | null;
  readonly profile_name: string | null;
}

export interface CompileContext extends RunTimeFacts {
  readonly target: CompileTarget;
  /** --store-failures: a test whose config says neither store_failures nor store_failures_as stores its failures as a table. */
  readonly storeFailures?: boolean;
}

/** The context with every default filled in; what templates see. */
export interface RuntimeContext {
  readonly target: TemplateTarget;
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
    // A render at run time passes the compilation's target on: it is already what templates see.
    target: base && context.target === base.target ? base.target : templateTarget(context.target, project.threads),
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

/**
 * The target as dbt's templates see it: the common keys (profile_name, name, schema, type,
 * threads) and, for postgres and redshift, dbname/host/user/port, from the profile output. No
 * secret is ever among them: a password rendered into SQL would reach logs and target/.
 */
export function templateTarget(target: CompileTarget, threads: number): TemplateTarget {
  const fixed = { name: target.name, type: target.type, schema: target.schema, threads, profile_name: target.profile_name ?? null };
  const shown: Record<string, unknown> = { ...fixed };
  const entries: [string, TemplateSetting | null | undefined][] = [
    ...Object.entries(target.settings ?? {}),
    ['database', target.database ?? null],
    ['dbname', target.database ?? null],
  ];
  for (const [key, value] of new Map(entries)) {
    // The profile's threads, name … never replace the run's.
    if (Object.hasOwn(fixed, key)) continue;
    // Read only when a template asks: compiling needs no connection setting it does not use.
    if (isUnrendered(value)) Object.defineProperty(shown, key, { enumerable: true, get: () => raise(value.unrendered) });
    else shown[key] = value;
  }
  return shown as TemplateTarget;
}

function isUnrendered(value: unknown): value is UnrenderedSetting {
  return typeof value === 'object' && value !== null && 'unrendered' in value;
}

function raise(message: string): never {
  throw new ConfigError(message);
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
