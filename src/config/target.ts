// A target = the warehouse one run writes to, with its settings merged from pgshift.yml and
// the environment. Secrets (connection strings, secret ARNs) only ever come from the environment.

import { ConfigError } from '../errors.js';
import { registerSecret } from '../log/redact.js';
import { parseDuration } from './duration.js';
import type { Project } from './project.js';

export interface PostgresTarget {
  readonly name: string;
  readonly type: 'postgres';
  readonly schema: string;
  readonly connectionString: string;
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
  readonly region: string;
  /** Overrides the Data API endpoint (a VPC endpoint, or a local stand-in in tests). */
  readonly endpoint?: string;
  readonly iamRole?: string;
  readonly statementTimeoutMs: number;
}

export type Target = PostgresTarget | RedshiftTarget;

export type Environment = Readonly<Record<string, string | undefined>>;

/** What compiling needs of a target: its name, dialect and schema. No secrets, no environment lookups beyond the name. */
export interface TargetSpec {
  readonly name: string;
  readonly type: Target['type'];
  readonly schema: string;
}

/** The target's spec from pgshift.yml: enough to compile and list, without any connection settings. */
export function resolveTargetSpec(project: Project, name: string | undefined, env: Environment = process.env): TargetSpec {
  const targetName = name ?? env.PGSHIFT_TARGET ?? project.defaultTarget;
  const file = project.raw.targets[targetName];
  if (!file) {
    throw new ConfigError(`--target ${targetName}: no such target in ${project.file} (defined: ${Object.keys(project.raw.targets).join(', ')})`, { target: targetName });
  }
  return { name: targetName, type: file.type, schema: file.schema };
}

/** The target with its connection settings, secrets from the environment: what running needs. */
export function resolveTarget(project: Project, name: string | undefined, env: Environment = process.env): Target {
  const targetName = resolveTargetSpec(project, name, env).name;
  const file = project.raw.targets[targetName]!;
  if (file.type === 'postgres') {
    const connectionString = env[file.connection_env];
    if (!connectionString) {
      throw new ConfigError(`target ${targetName}: environment variable ${file.connection_env} is not set; set it to the warehouse's postgres:// URL`, { target: targetName });
    }
    registerSecret(connectionString);
    return { name: targetName, type: 'postgres', schema: file.schema, connectionString };
  }
  const secretArn = env.PGSHIFT_REDSHIFT_SECRET_ARN;
  const dbUser = env.PGSHIFT_REDSHIFT_DB_USER ?? file.db_user;
  if (file.workgroup_name && !secretArn) {
    throw new ConfigError(`target ${targetName}: Redshift Serverless needs PGSHIFT_REDSHIFT_SECRET_ARN in the environment`, { target: targetName });
  }
  if (file.cluster_identifier && !secretArn && !dbUser) {
    throw new ConfigError(`target ${targetName}: a provisioned cluster needs db_user (or PGSHIFT_REDSHIFT_DB_USER) or PGSHIFT_REDSHIFT_SECRET_ARN`, { target: targetName });
  }
  return {
    name: targetName,
    type: 'redshift',
    schema: file.schema,
    database: file.database,
    clusterIdentifier: file.cluster_identifier,
    workgroupName: file.workgroup_name,
    dbUser: secretArn ? undefined : dbUser,
    secretArn,
    region: env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? file.region ?? 'us-east-1',
    endpoint: env.PGSHIFT_REDSHIFT_ENDPOINT,
    iamRole: env.PGSHIFT_REDSHIFT_IAM_ROLE ?? file.iam_role,
    statementTimeoutMs: parseDuration(file.statement_timeout)!,
  };
}
