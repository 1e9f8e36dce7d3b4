// Reads pgshift.yml once, validates it, and returns the typed Project. Every problem is one
// ConfigError naming the file and the key path (`sources.shop.tables.orders.cursr`).

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';
import { ConfigError } from '../errors.js';
import { DBT_PROJECT_FILE, parseDbtProject } from './dbt-project.js';
import { findProfilesFile, parseProfile, profileCandidates } from './dbt-profiles.js';
import { parseDuration } from './duration.js';
import { readYaml } from './read-yaml.js';
import type { DbtProfile, DbtProjectSettings, Project, SourceTable, TimeoutSettings } from './project.js';
import { defaultLookback, projectSchema, type ProjectFile } from './project-schema.js';
import { renderYamlValue } from './render-yaml-value.js';
import { describeZodIssue, knownKeysAt } from '../util/zod-issue.js';

export const PROJECT_FILE = 'pgshift.yml';

export interface LoadProjectOptions {
  /** --profiles-dir: the folder holding profiles.yml. */
  readonly profilesDir?: string;
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Stands in for ~ in the profiles.yml lookup (tests). */
  readonly home?: string;
}

/**
 * The project in `projectDir`: pgshift.yml, dbt_project.yml (with its profiles.yml profile), or
 * both. pgshift.yml wins for every setting it writes; dbt_project.yml fills in the rest.
 */
export async function loadProject(projectDir: string, options: LoadProjectOptions = {}): Promise<Project> {
  const file = path.resolve(projectDir, PROJECT_FILE);
  const dbtFile = path.resolve(projectDir, DBT_PROJECT_FILE);
  const [text, dbtText] = await Promise.all([readOptional(file), readOptional(dbtFile)]);
  if (text === null && dbtText === null) {
    throw new ConfigError(
      `${file}: cannot read the project file; run pgshift in a folder holding ${PROJECT_FILE} or ${DBT_PROJECT_FILE}, or pass --project-dir`,
      { file },
    );
  }
  const env = options.env ?? process.env;
  const dbt = dbtText === null ? undefined : parseDbtProject(dbtText, dbtFile);
  let profile: DbtProfile | undefined;
  if (dbt?.profile) {
    const lookup = { profilesDir: options.profilesDir, projectDir, env, home: options.home };
    const found = await findProfilesFile(lookup);
    if (found) profile = parseProfile(found.text, found.file, dbt.profile, env);
    else if (text === null) {
      throw new ConfigError(
        `${dbtFile}: profile '${dbt.profile}' needs a profiles.yml; none at ${profileCandidates(lookup).join(' or ')} (pass --profiles-dir or set DBT_PROFILES_DIR)`,
        { file: dbtFile },
      );
    }
  } else if (text === null) {
    throw new ConfigError(`${dbtFile}: profile is required without ${PROJECT_FILE}; name the profiles.yml profile to connect with`, { file: dbtFile });
  }
  if (text !== null) return parseProject(text, file, { dbt, profile });
  return dbtOnlyProject(dbt!, profile!, file);
}

export interface DbtFiles {
  readonly dbt?: DbtProjectSettings;
  readonly profile?: DbtProfile;
}

/** Parses and validates project YAML; `file` is only used in messages. */
export function parseProject(text: string, file: string, dbtFiles: DbtFiles = {}): Project {
  const input: unknown = readYaml(text, file) ?? {};
  const result = projectSchema.safeParse(input);
  if (!result.success) throw new ConfigError(describeIssue(file, result.error.issues[0]!, input), { file });
  return toProject(result.data, file, dbtFiles);
}

/**
 * A dbt project without pgshift.yml: nothing to extract, so no staging bucket is ever named
 * (the placeholder below is never read: every S3 use starts from a source table).
 */
function dbtOnlyProject(dbt: DbtProjectSettings, profile: DbtProfile, file: string): Project {
  const data = projectSchema.parse({ name: dbt.name, staging: { bucket: 'none-without-pgshift-yml' } });
  const output = profile.outputs[profile.target]!;
  const threads =
    output.threads === undefined
      ? undefined
      : Number(renderYamlValue(output.threads, { env: process.env }, `${profile.file}: ${profile.name}.outputs.${profile.target}.threads`));
  const project = toProject({ ...data, threads: threads && Number.isInteger(threads) && threads > 0 ? Math.min(threads, 64) : data.threads }, file, {
    dbt,
    profile,
  });
  return { ...project, rootDir: path.dirname(dbt.file), file: dbt.file };
}

async function readOptional(file: string): Promise<string | null> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new ConfigError(`${file}: cannot read the project file: ${(error as Error).message}`, { file }, { cause: error });
  }
}

function describeIssue(file: string, issue: z.core.$ZodIssue, input: unknown): string {
  if (issue.code === 'invalid_union' && issue.path.at(-1) === 'type') {
    return `${file}: ${issue.path.map(String).join('.')} must be postgres or redshift`;
  }
  const sentence = describeZodIssue(issue, input, '', (keyPath) => knownKeysAt(projectSchema, keyPath));
  // Without a likely spelling, point at the reference that lists every key.
  const hint =
    issue.code === 'unrecognized_keys' && !sentence.includes('did you mean') ? '; check the spelling against the configuration reference in README.md' : '';
  return `${file}: ${sentence}${hint}`;
}

function toProject(data: ProjectFile, file: string, { dbt, profile }: DbtFiles): Project {
  const name = data.name ?? dbt?.name;
  if (!name) throw new ConfigError(`${file}: name is required (expected string)`, { file });
  if (dbt && data.name && data.name !== dbt.name) {
    throw new ConfigError(`${file}: name '${data.name}' differs from ${dbt.file}'s name '${dbt.name}'; leave name out of ${PROJECT_FILE} or use the same`, {
      file,
    });
  }
  const tables: SourceTable[] = [];
  for (const [sourceName, source] of Object.entries(data.sources)) {
    for (const [tableName, table] of Object.entries(source.tables)) {
      tables.push({
        id: `${sourceName}.${tableName}`,
        source: sourceName,
        sourceSchema: source.schema,
        name: tableName,
        connectionEnv: source.connection_env,
        primaryKey: typeof table.primary_key === 'string' ? [table.primary_key] : (table.primary_key ?? []),
        mode: table.mode,
        cursor: table.cursor,
        cursorUnit: table.cursor_unit,
        lookbackMs: parseDuration(table.lookback ?? defaultLookback(table.mode))!,
        columns: table.columns,
        exclude: table.exclude,
        pii: table.pii,
        valuePolicy: table.value_policy ?? 'fail',
        deletes: table.deletes,
        maxDeleteRatio: table.max_delete_ratio,
        softDeleteColumn: table.soft_delete,
        slices: table.slices ?? 'auto',
      });
    }
  }
  const rawNames = new Map<string, string>();
  for (const table of tables) {
    const clash = rawNames.get(table.name);
    if (clash) {
      throw new ConfigError(
        `${file}: sources ${clash} and ${table.id} would both load into ${data.raw_schema}.${table.name}; raw tables are named after the source table, so keep table names unique across sources`,
        { file },
      );
    }
    rawNames.set(table.name, table.id);
  }
  const defaultTarget = data.target ?? profile?.target ?? 'dev';
  const defined = [...Object.keys(data.targets), ...Object.keys(profile?.outputs ?? {})];
  if (defined.length === 0) throw new ConfigError(`${file}: targets must define at least one target`, { file });
  if (!defined.includes(defaultTarget)) {
    throw new ConfigError(`${file}: target '${defaultTarget}' is not defined under targets (defined: ${defined.join(', ')})`, { file });
  }
  const mb = 1024 * 1024;
  return {
    rootDir: path.dirname(file),
    file,
    name,
    defaultTarget,
    threads: data.threads,
    rawSchema: data.raw_schema,
    tables,
    staging: {
      bucket: data.staging.bucket,
      prefix: data.staging.prefix.replace(/^\/+|\/+$/g, ''),
      gzipLevel: data.staging.gzip_level,
      partSizeBytes: Math.round(data.staging.part_size_mb * mb),
      uploadPartSizeBytes: Math.round(data.staging.upload_part_size_mb * mb),
      uploadQueueSize: data.staging.upload_queue_size,
      warehouseSlices: data.staging.warehouse_slices,
      rangeUploadBuffers: data.staging.range_upload_buffers,
      client: {
        maxAttempts: data.staging.s3_max_attempts,
        connectTimeoutMs: parseDuration(data.staging.s3_connect_timeout)!,
        requestTimeoutMs: parseDuration(data.staging.s3_request_timeout)!,
      },
    },
    timeouts: timeoutSettings(data.timeouts),
    governance: {
      rolePrefix: data.governance.role_prefix,
      roles: Object.entries(data.governance.roles).map(([name, role]) => ({
        name,
        description: role.description,
        read: role.read,
        write: role.write,
        pii: role.pii,
      })),
      auditBeforePublish: data.governance.audit_before_publish,
    },
    report: data.report
      ? {
          models: Object.fromEntries(
            Object.entries(data.report.models).map(([panel, entry]) => [panel, typeof entry === 'string' ? { model: entry, columns: {} } : entry]),
          ) as NonNullable<Project['report']>['models'],
        }
      : undefined,
    // pgshift.yml's vars win over dbt_project.yml's for a name both set.
    raw: { ...data, vars: { ...dbt?.vars, ...data.vars } },
    paths: dbt?.paths,
    dbt,
    profile,
    warnings: dbt?.warnings ?? [],
  };
}

/** The `timeouts:` block in milliseconds; the schema has already checked every duration. */
export function timeoutSettings(timeouts: ProjectFile['timeouts']): TimeoutSettings {
  return {
    connectMs: parseDuration(timeouts.connect)!,
    queryMs: parseDuration(timeouts.query)!,
    idleMs: parseDuration(timeouts.idle)!,
    requestMs: parseDuration(timeouts.request)!,
  };
}
