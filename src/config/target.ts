// A target = the warehouse one run writes to, with its settings merged from pgshift.yml and
// the environment. Secrets (connection strings, secret ARNs) only ever come from the environment.

import { ConfigError } from '../errors.js';
import { registerSecret } from '../log/redact.js';
import { parseDuration } from './duration.js';
import {
  postgresConnectionString,
  profileSchemaOf,
  profileTemplateSettings,
  redshiftProfileSettings,
  type TemplateSetting,
  type UnrenderedSetting,
} from './profile-target.js';
import type { DbtProfileOutput, Project, TimeoutSettings } from './project.js';
import type { TargetFile } from './project-schema.js';

export interface PostgresTarget {
  readonly name: string;
  readonly type: 'postgres';
  readonly schema: string;
  readonly connectionString: string;
  /** The environment variable the connection string came from, for errors that name it. */
  readonly connectionEnv?: string;
  /** pgshift.yml `timeouts:`; the defaults of src/connections.ts when absent. */
  readonly timeouts?: TimeoutSettings;
}

export interface RedshiftTarget {
  readonly name: string;
  readonly type: 'redshift';
  readonly schema: string;
  readonly database: string;
  readonly clusterIdentifier?: string;
  readonly workgroupName?: string;
  readonly dbUser?: string;
  readonly secretArn?: string;
  /** The warehouse's region; undefined lets the AWS SDK read it from the shared config file. */
  readonly region?: string;
  /** The staging bucket's region for COPY's REGION option, only when it differs. */
  readonly copyRegion?: string;
  /** Overrides the Data API endpoint (a VPC endpoint, or a local stand-in in tests). */
  readonly endpoint?: string;
  readonly iamRole?: string;
  readonly statementTimeoutMs: number;
  /** pgshift.yml `timeouts:`; the defaults of src/connections.ts when absent. */
  readonly timeouts?: TimeoutSettings;
}

export type Target = PostgresTarget | RedshiftTarget;

export type Environment = Readonly<Record<string, string | undefined>>;

/**
 * What compiling needs of a target: its name, dialect and schema, and for templates' `target`
 * the database and the settings that are not secrets. No password is read.
 */
export interface TargetSpec {
  readonly name: string;
  readonly type: Target['type'];
  readonly schema: string;
  /** Unrendered when a profile's dbname needs an env_var() that is unset while compiling. */
  readonly database: string | UnrenderedSetting | null;
  readonly profile_name: string | null;
  readonly settings: Readonly<Record<string, TemplateSetting>>;
}

/** The target's spec from pgshift.yml: enough to compile and list, without any connection settings. */
export function resolveTargetSpec(project: Project, name: string | undefined, env: Environment = process.env): TargetSpec {
  const targetName = chosenTargetName(project, name, env);
  const file = project.raw.targets[targetName];
  if (file) return { name: targetName, type: file.type, schema: file.schema, profile_name: null, ...fileTargetSettings(file, env) };
  const output = profileOutput(project, targetName);
  if (output) {
    const schema = profileSchemaOf(project, targetName, output, env);
    return { name: targetName, type: output.type, schema, profile_name: project.profile!.name, ...profileTemplateSettings(project, targetName, output, env) };
  }
  throw new ConfigError(`--target ${targetName}: no such target in ${targetFiles(project)} (defined: ${targetNames(project).join(', ')})`, {
    target: targetName,
  });
}

type TemplateSettings = Pick<TargetSpec, 'database' | 'settings'>;

/**
 * A pgshift.yml target's database and settings for templates. A postgres target's connection
 * URL is a secret from the environment: only its database, host, port and user are read, never
 * its password; unset (as when compiling without a connection), the database is null.
 */
function fileTargetSettings(file: TargetFile, env: Environment): TemplateSettings {
  if (file.type === 'redshift') {
    const settings: Record<string, string> = {};
    for (const [key, value] of Object.entries({
      cluster_id: file.cluster_identifier,
      workgroup_name: file.workgroup_name,
      user: file.db_user,
      region: file.region,
    })) {
      if (value) settings[key] = value;
    }
    return { database: file.database, settings };
  }
  const url = parseUrl(env[file.connection_env]);
  if (!url) return { database: null, settings: {} };
  const settings: Record<string, string | number> = { port: url.port ? Number(url.port) : 5432 };
  if (url.hostname) settings.host = decodeURIComponent(url.hostname);
  if (url.username) settings.user = decodeURIComponent(url.username);
  return { database: decodeURIComponent(url.pathname.replace(/^\//, '')) || null, settings };
}

function parseUrl(text: string | undefined): URL | undefined {
  if (!text) return undefined;
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

/** The target's database as the artefacts name it: what templates see as target.database, when it is known. */
export function targetDatabaseOf(spec: TargetSpec): string | null {
  return typeof spec.database === 'string' ? spec.database : null;
}

/**
 * A target pgshift.yml does not define, from the profiles.yml profile: pgshift.yml's
 * `targets:` win for a name both define (README "Coming from dbt").
 */
function profileOutput(project: Project, targetName: string): DbtProfileOutput | undefined {
  if (project.raw.targets[targetName]) return undefined;
  return project.profile?.outputs[targetName];
}

function targetFiles(project: Project): string {
  return project.profile ? `${project.file} or ${project.profile.file}` : project.file;
}

/** Every target name the project defines, pgshift.yml's first. */
export function targetNames(project: Project): string[] {
  return [...new Set([...Object.keys(project.raw.targets), ...Object.keys(project.profile?.outputs ?? {})])];
}

/** The target a command works on: --target, else PGSHIFT_TARGET, else pgshift.yml's `target`. */
export function chosenTargetName(project: Project, name: string | undefined, env: Environment = process.env): string {
  return name ?? env.PGSHIFT_TARGET ?? project.defaultTarget;
}

/** The target with its connection settings, secrets from the environment: what running needs. */
export function resolveTarget(project: Project, name: string | undefined, env: Environment = process.env): Target {
  const spec = resolveTargetSpec(project, name, env);
  const targetName = spec.name;
  const output = profileOutput(project, targetName);
  if (output) return profileTarget(project, spec, output, env);
  const file = project.raw.targets[targetName]!;
  if (file.type === 'postgres') {
    const connectionString = env[file.connection_env];
    if (!connectionString) {
      throw new ConfigError(`target ${targetName}: environment variable ${file.connection_env} is not set; set it to the warehouse's postgres:// URL`, {
        target: targetName,
      });
    }
    registerSecret(connectionString);
    return { name: targetName, type: 'postgres', schema: file.schema, connectionString, connectionEnv: file.connection_env, timeouts: project.timeouts };
  }
  // Neither a secret nor db_user is required: without them the Data API connects as the caller's
  // IAM identity (database user IAM:<name> / IAMR:<role>), through redshift-serverless:GetCredentials
  // for a workgroup and redshift:GetClusterCredentialsWithIAM for a cluster.
  // https://docs.aws.amazon.com/redshift-data/latest/APIReference/API_ExecuteStatement.html
  // https://docs.aws.amazon.com/redshift/latest/mgmt/data-api-access.html
  const secretArn = env.PGSHIFT_REDSHIFT_SECRET_ARN;
  const dbUser = env.PGSHIFT_REDSHIFT_DB_USER ?? file.db_user;

  return {
    name: targetName,
    type: 'redshift',
    schema: file.schema,
    database: file.database,
    clusterIdentifier: file.cluster_identifier,
    workgroupName: file.workgroup_name,
    // DbUser is the temporary-credentials form for clusters only; a workgroup never takes it.
    dbUser: secretArn || file.workgroup_name ? undefined : dbUser,
    secretArn,
    // No fallback region: a wrong guess sends the statements to another region's endpoint. Unset
    // here, the AWS SDK reads the shared config file and fails with "Region is missing" if that
    // has none either (the runner adds how to set it).
    region: env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? file.region,
    copyRegion: env.PGSHIFT_REDSHIFT_COPY_REGION ?? file.copy_region,
    endpoint: env.PGSHIFT_REDSHIFT_ENDPOINT,
    iamRole: copyRoleSetting(file.iam_role, env),
    statementTimeoutMs: parseDuration(file.statement_timeout)!,
    timeouts: project.timeouts,
  };
}

/** A profiles.yml output with its connection settings rendered: only now is a password read. */
function profileTarget(project: Project, spec: TargetSpec, output: DbtProfileOutput, env: Environment): Target {
  if (output.type === 'postgres') {
    const connectionString = postgresConnectionString(project, spec.name, output, env);
    return { name: spec.name, type: 'postgres', schema: spec.schema, connectionString, timeouts: project.timeouts };
  }
  const settings = redshiftProfileSettings(project, spec.name, output, env);
  const secretArn = env.PGSHIFT_REDSHIFT_SECRET_ARN;
  return {
    name: spec.name,
    type: 'redshift',
    schema: spec.schema,
    database: settings.database,
    clusterIdentifier: settings.clusterIdentifier,
    workgroupName: settings.workgroupName,
    dbUser: secretArn || settings.workgroupName ? undefined : (env.PGSHIFT_REDSHIFT_DB_USER ?? settings.dbUser),
    secretArn,
    region: env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? settings.region,
    copyRegion: env.PGSHIFT_REDSHIFT_COPY_REGION ?? settings.copyRegion,
    endpoint: env.PGSHIFT_REDSHIFT_ENDPOINT,
    iamRole: copyRoleSetting(settings.iamRole, env),
    statementTimeoutMs: settings.statementTimeoutMs,
    timeouts: project.timeouts,
  };
}

/** PGSHIFT_REDSHIFT_IAM_ROLE over the file's iam_role; an empty variable counts as unset. */
function copyRoleSetting(fromFile: string | undefined, env: Environment): string | undefined {
  return env.PGSHIFT_REDSHIFT_IAM_ROLE?.trim() || fromFile?.trim() || undefined;
}

/**
 * A Redshift target loads every batch with COPY, and COPY reads S3 only with an authorization
 * parameter; pgshift gives IAM_ROLE. Checked before extracting, so a missing role stops the
 * run before any row is read, not after the upload.
 * https://docs.aws.amazon.com/redshift/latest/dg/copy-parameters-authorization.html
 */
export function requireCopyRole(project: Project, targetName: string, env: Environment = process.env): void {
  const output = profileOutput(project, targetName);
  if (output?.type === 'redshift' && !copyRoleSetting(redshiftProfileSettings(project, targetName, output, env).iamRole, env)) {
    throw new ConfigError(
      `target ${targetName}: loading into Redshift needs an IAM role for COPY; set ${project.profile!.name}.outputs.${targetName}.iam_role in ${project.profile!.file} (or PGSHIFT_REDSHIFT_IAM_ROLE) to a role the warehouse can assume to read s3://${project.staging.bucket}`,
      { target: targetName, file: project.profile!.file },
    );
  }
  const file = project.raw.targets[targetName];
  if (file?.type !== 'redshift' || copyRoleSetting(file.iam_role, env)) return;
  throw new ConfigError(
    `target ${targetName}: loading into Redshift needs an IAM role for COPY; set targets.${targetName}.iam_role in ${project.file} (or PGSHIFT_REDSHIFT_IAM_ROLE) to a role the warehouse can assume to read s3://${project.staging.bucket}`,
    { target: targetName, file: project.file },
  );
}
