// A profiles.yml output as a pgshift target. The spec (type, schema) renders only those two
// values, so compile reads no password; the connection renders the rest when it is opened, and
// a password is registered as a secret the moment it is rendered.

import { ConfigError } from '../errors.js';
import { registerSecret } from '../log/redact.js';
import { parseDuration } from './duration.js';
import type { DbtProfileOutput, Project } from './project.js';
import { renderYamlValue } from './render-yaml-value.js';

type Environment = Readonly<Record<string, string | undefined>>;

/** The output's settings rendered one by one, each error naming the profile file and key. */
function reader(project: Project, targetName: string, output: DbtProfileOutput, env: Environment) {
  const profile = project.profile!;
  const where = (key: string): string => `${profile.file}: ${profile.name}.outputs.${targetName}.${key}`;
  const text = (key: string, options: { secret?: boolean } = {}): string | undefined => {
    const value = output[key];
    if (value === undefined || value === null) return undefined;
    const rendered = renderYamlValue(value, { env, secret: options.secret }, where(key));
    return rendered === '' ? undefined : String(rendered);
  };
  const required = (key: string, ...aliases: string[]): string => {
    for (const name of [key, ...aliases]) {
      const value = text(name);
      if (value !== undefined) return value;
    }
    throw new ConfigError(`${where(key)} is required for a ${output.type} output; set it in ${profile.file}`, { file: profile.file, target: targetName });
  };
  const number = (key: string): number | undefined => {
    const value = text(key);
    if (value === undefined) return undefined;
    const parsed = Number(value);
    if (!Number.isInteger(parsed) || parsed < 0)
      throw new ConfigError(`${where(key)} must be a whole number, got ${JSON.stringify(value)}`, { file: profile.file });
    return parsed;
  };
  return { text, required, number, where };
}

export function profileSchemaOf(project: Project, targetName: string, output: DbtProfileOutput, env: Environment): string {
  return reader(project, targetName, output, env).required('schema');
}

/** Output keys never given to templates: passwords, keys and tokens (https://docs.getdbt.com/reference/dbt-jinja-functions/target lists none of them). */
const SECRET_KEY = /pass|secret|token|private|key|credential/i;

/** A setting that could not be rendered while compiling (its env_var() is unset): the error, for when a template reads it. */
export interface UnrenderedSetting {
  readonly unrendered: string;
}

export type TemplateSetting = string | number | boolean | UnrenderedSetting;

/**
 * A profile output's database and non-secret settings, rendered, for templates' `target`
 * (dbt's target.dbname, host, user, port, cluster_id …). Compiling needs no connection, so a
 * setting whose env_var() is unset is no error until a template reads it.
 */
export function profileTemplateSettings(
  project: Project,
  targetName: string,
  output: DbtProfileOutput,
  env: Environment,
): { database: string | UnrenderedSetting | null; settings: Record<string, TemplateSetting> } {
  const read = reader(project, targetName, output, env);
  const settings: Record<string, TemplateSetting> = {};
  for (const [key, value] of Object.entries(output)) {
    if (key === 'type' || key === 'schema' || SECRET_KEY.test(key) || value === null || typeof value === 'object') continue;
    try {
      const rendered = renderYamlValue(value, { env }, read.where(key));
      if (typeof rendered === 'string' || typeof rendered === 'number' || typeof rendered === 'boolean') settings[key] = rendered;
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      settings[key] = { unrendered: error.message };
    }
  }
  if (output.type === 'redshift' && settings.cluster_identifier !== undefined && settings.cluster_id === undefined)
    settings.cluster_id = settings.cluster_identifier;
  const database = settings.dbname ?? settings.database;
  if (database === undefined) return { database: null, settings };
  return { database: typeof database === 'object' ? database : String(database), settings };
}

/**
 * A postgres output's connection string. keepalives_idle, retries, search_path and role are
 * accepted and not applied: pgshift's connections keep TCP keepalives on, retry per statement
 * kind, and quote every name with its schema.
 */
export function postgresConnectionString(project: Project, targetName: string, output: DbtProfileOutput, env: Environment): string {
  const read = reader(project, targetName, output, env);
  const host = read.required('host');
  const user = read.required('user');
  const password = read.text('password', { secret: true }) ?? read.text('pass', { secret: true });
  const database = read.required('dbname', 'database');
  const port = read.number('port') ?? 5432;
  const url = new URL(`postgres://${encodeURIComponent(host)}`);
  url.port = String(port);
  url.username = encodeURIComponent(user);
  if (password !== undefined) url.password = encodeURIComponent(password);
  url.pathname = `/${encodeURIComponent(database)}`;
  const sslmode = read.text('sslmode');
  if (sslmode) url.searchParams.set('sslmode', sslmode);
  const connectTimeout = read.number('connect_timeout');
  if (connectTimeout !== undefined) url.searchParams.set('connect_timeout', String(connectTimeout));
  for (const key of ['sslcert', 'sslkey', 'sslrootcert', 'application_name']) {
    const value = read.text(key);
    if (value) url.searchParams.set(key, value);
  }
  const connectionString = url.toString();
  registerSecret(connectionString);
  return connectionString;
}

export interface RedshiftProfileSettings {
  readonly database: string;
  readonly clusterIdentifier?: string;
  readonly workgroupName?: string;
  readonly dbUser?: string;
  readonly region?: string;
  readonly copyRegion?: string;
  readonly iamRole?: string;
  readonly statementTimeoutMs: number;
}

/**
 * A redshift output as Data API settings. pgshift reaches Redshift through the Data API only,
 * which takes a workgroup (serverless) or a cluster identifier, never a host and password:
 * https://docs.aws.amazon.com/redshift-data/latest/APIReference/API_ExecuteStatement.html
 * So cluster_identifier (dbt's cluster_id) or workgroup_name is read first, and else derived
 * from the endpoint host, whose first label is the cluster's or the workgroup's name:
 * https://docs.aws.amazon.com/redshift/latest/mgmt/connecting-connection-string.html
 * https://docs.aws.amazon.com/redshift/latest/mgmt/serverless-connecting.html
 */
export function redshiftProfileSettings(project: Project, targetName: string, output: DbtProfileOutput, env: Environment): RedshiftProfileSettings {
  const read = reader(project, targetName, output, env);
  const host = read.text('host');
  const serverlessHost = host?.includes('.redshift-serverless.') ? host.split('.')[0] : undefined;
  const clusterHost = host && !serverlessHost && host.includes('.redshift.') ? host.split('.')[0] : undefined;
  const workgroupName = read.text('workgroup_name') ?? read.text('serverless_work_group') ?? (read.text('cluster_identifier') ? undefined : serverlessHost);
  const clusterIdentifier = read.text('cluster_identifier') ?? read.text('cluster_id') ?? (workgroupName ? undefined : clusterHost);
  if (Boolean(workgroupName) === Boolean(clusterIdentifier)) {
    throw new ConfigError(
      `${read.where('workgroup_name')}: set exactly one of workgroup_name (serverless) or cluster_identifier (provisioned); pgshift connects through the Redshift Data API, which needs one of them`,
      { file: project.profile!.file, target: targetName },
    );
  }
  const timeout = read.text('statement_timeout') ?? '2h';
  const statementTimeoutMs = parseDuration(timeout);
  if (statementTimeoutMs === undefined)
    throw new ConfigError(`${read.where('statement_timeout')} must be a duration such as 30m or 2h`, { file: project.profile!.file });
  return {
    database: read.required('dbname', 'database'),
    workgroupName,
    clusterIdentifier,
    dbUser: read.text('db_user') ?? read.text('user'),
    region: read.text('region'),
    copyRegion: read.text('copy_region'),
    iamRole: read.text('iam_role'),
    statementTimeoutMs,
  };
}
