// The three connections pgshift makes: a PostgreSQL pool (sources and the local warehouse),
// an S3 client (staging) and a Redshift Data API client (the production warehouse).

import { createRequire } from 'node:module';
import type { RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import { S3Client } from '@aws-sdk/client-s3';
import pg from 'pg';
import type { Environment, RedshiftTarget } from './config/target.js';
import { ConfigError } from './errors.js';
import { registerSecret } from './log/redact.js';

export interface PostgresConnOptions {
  /** postgres:// URL; when omitted, node-postgres reads the PG* environment variables. */
  connectionString?: string;
  max?: number;
  applicationName?: string;
}

export function getPostgresConn(options: PostgresConnOptions = {}): pg.Pool {
  registerSecret(options.connectionString);
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.max ?? 4,
    application_name: options.applicationName ?? 'pgshift',
  });
  // An idle client losing its server must not crash the process; the next query reports it.
  pool.on('error', () => {});
  return pool;
}

/** The connection string of a source, read from the environment variable pgshift.yml names. */
export function sourceConnectionString(connectionEnv: string, env: Environment = process.env): string | undefined {
  const value = env[connectionEnv] ?? (connectionEnv === 'PGSHIFT_SOURCE_URL' ? env.DATABASE_URL : undefined);
  registerSecret(value);
  return value;
}

export interface S3ConnOptions {
  endpoint?: string;
  region?: string;
  forcePathStyle?: boolean;
  /** Attempts per request, the first included (staging.s3_max_attempts). */
  maxAttempts?: number;
  /** Milliseconds to open a connection (staging.s3_connect_timeout). */
  connectTimeoutMs?: number;
  /** Milliseconds one attempt may take without a reply (staging.s3_request_timeout). */
  requestTimeoutMs?: number;
}

export const S3_CONN_DEFAULTS = { maxAttempts: 5, connectTimeoutMs: 5_000, requestTimeoutMs: 120_000 } as const;

/**
 * S3 client on the default credential chain. An endpoint (a local S3 server, MinIO, a VPC
 * endpoint) comes from PGSHIFT_S3_ENDPOINT or AWS_ENDPOINT_URL_S3 and implies path-style URLs.
 */
export function getS3Conn(options: S3ConnOptions = {}, env: Environment = process.env): S3Client {
  const endpoint = options.endpoint ?? env.PGSHIFT_S3_ENDPOINT ?? env.AWS_ENDPOINT_URL_S3;
  registerSecret(env.AWS_SECRET_ACCESS_KEY);
  registerSecret(env.AWS_SESSION_TOKEN);
  // S3-compatible servers often reject the SDK's default streaming checksums (aws-chunked
  // bodies); against a custom endpoint send checksums only where the API requires them.
  const checksums = endpoint && !env.AWS_REQUEST_CHECKSUM_CALCULATION ? 'WHEN_REQUIRED' : undefined;
  return new S3Client({
    endpoint,
    region: options.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1',
    forcePathStyle: options.forcePathStyle ?? (endpoint !== undefined || env.PGSHIFT_S3_FORCE_PATH_STYLE === 'true'),
    requestChecksumCalculation: checksums,
    responseChecksumValidation: checksums,
    credentials: endpoint && !env.AWS_ACCESS_KEY_ID && !env.AWS_PROFILE ? LOCAL_S3_CREDENTIALS : undefined,
    // The SDK's standard retry mode retries throttling, 5xx answers, timeouts and connection
    // resets with exponential backoff and jitter, up to maxAttempts in all
    // (https://docs.aws.amazon.com/sdkref/latest/guide/feature-retry-behavior.html). A multipart
    // upload's every request (UploadPart included) goes through it, so one flaky part is retried
    // rather than failing the table.
    retryMode: 'standard',
    maxAttempts: options.maxAttempts ?? S3_CONN_DEFAULTS.maxAttempts,
    // Without these a dead endpoint hangs a run for the OS's TCP timeout. throwOnRequestTimeout
    // turns an attempt past requestTimeout into an error the retry strategy retries; otherwise the
    // handler only warns (https://docs.aws.amazon.com/sdk-for-javascript/v3/developer-guide/node-configuring-maxsockets.html
    // shows the requestHandler shorthand).
    requestHandler: {
      connectionTimeout: options.connectTimeoutMs ?? S3_CONN_DEFAULTS.connectTimeoutMs,
      requestTimeout: options.requestTimeoutMs ?? S3_CONN_DEFAULTS.requestTimeoutMs,
      throwOnRequestTimeout: true,
    },
  });
}

// A local S3 server accepts any signature; these stand in when no AWS credentials are set.
const LOCAL_S3_CREDENTIALS = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };

/** Data API client for a provisioned cluster or a Serverless workgroup. */
export function getRedshiftConn(target: RedshiftTarget): RedshiftDataClient {
  if (!target.clusterIdentifier && !target.workgroupName) {
    throw new ConfigError(`target ${target.name}: set cluster_identifier or workgroup_name`, { target: target.name });
  }
  // Required on first use: only Redshift targets pay for loading the Data API client.
  const { RedshiftDataClient: Client } = createRequire(import.meta.url)('@aws-sdk/client-redshift-data') as typeof import('@aws-sdk/client-redshift-data');
  return new Client({ region: target.region, endpoint: target.endpoint });
}

/** Fields every Data API call carries to say which warehouse and which credentials. */
export function redshiftStatementTarget(target: RedshiftTarget): {
  ClusterIdentifier?: string;
  WorkgroupName?: string;
  Database: string;
  DbUser?: string;
  SecretArn?: string;
} {
  return {
    ClusterIdentifier: target.clusterIdentifier,
    WorkgroupName: target.workgroupName,
    Database: target.database,
    DbUser: target.secretArn ? undefined : target.dbUser,
    SecretArn: target.secretArn,
  };
}
