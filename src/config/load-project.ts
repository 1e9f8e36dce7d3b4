// Reads pgshift.yml once, validates it, and returns the typed Project. Every problem is one
// ConfigError naming the file and the key path (`sources.shop.tables.orders.cursr`).

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { z } from 'zod';
import { ConfigError } from '../errors.js';
import { parseDuration } from './duration.js';
import { readYaml } from './read-yaml.js';
import type { Project, SourceTable, TimeoutSettings } from './project.js';
import { defaultLookback, projectSchema, type ProjectFile } from './project-schema.js';
import { describeZodIssue, knownKeysAt } from '../util/zod-issue.js';

export const PROJECT_FILE = 'pgshift.yml';

export async function loadProject(projectDir: string): Promise<Project> {
  const file = path.resolve(projectDir, PROJECT_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ConfigError(
      `${file}: cannot read the project file; run pgshift in a folder holding ${PROJECT_FILE} or pass --project-dir`,
      { file },
      { cause: error },
    );
  }
  return parseProject(text, file);
}

/** Parses and validates project YAML; `file` is only used in messages. */
export function parseProject(text: string, file: string): Project {
  const input: unknown = readYaml(text, file) ?? {};
  const result = projectSchema.safeParse(input);
  if (!result.success) throw new ConfigError(describeIssue(file, result.error.issues[0]!, input), { file });
  return toProject(result.data, file);
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

function toProject(data: ProjectFile, file: string): Project {
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
  if (!data.targets[data.target]) {
    throw new ConfigError(`${file}: target '${data.target}' is not defined under targets (defined: ${Object.keys(data.targets).join(', ')})`, { file });
  }
  const mb = 1024 * 1024;
  return {
    rootDir: path.dirname(file),
    file,
    name: data.name,
    defaultTarget: data.target,
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
    raw: data,
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
