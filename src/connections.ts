// The three connections pgshift makes: a PostgreSQL pool (sources and the local warehouse),
// an S3 client (staging) and a Redshift Data API client (the production warehouse).

import { createRequire } from 'node:module';
import type { RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import { S3Client } from '@aws-sdk/client-s3';
import pg from 'pg';
import { timeoutSettings } from './config/load-project.js';
import type { TimeoutSettings } from './config/project.js';
import { timeoutsSchema } from './config/project-schema.js';
import type { Environment, RedshiftTarget } from './config/target.js';
import { CancelledError, ConfigError, ConnectionError, errorMessage } from './errors.js';
import { registerSecret } from './log/redact.js';
import { markBusy, markIdle, onAbandon, sessionsAbandoned } from './util/postgres-sessions.js';

export interface PostgresConnOptions {
  /** postgres:// URL; when omitted, node-postgres reads the PG* environment variables. */
  connectionString?: string;
  max?: number;
  applicationName?: string;
  /** Which connection this is, for errors: `source shop`, `warehouse target dev`. */
  connection?: ConnectionName;
  timeouts?: TimeoutSettings;
}

export interface ConnectionName {
  /** `source shop`, `warehouse target dev`. */
  readonly label: string;
  /** The environment variable holding the connection string. */
  readonly env: string;
}

/** pgshift.yml's defaults, for callers that have no project (the demo, tests). */
export const DEFAULT_TIMEOUTS: TimeoutSettings = timeoutSettings(timeoutsSchema.parse({}));

export function getPostgresConn(options: PostgresConnOptions = {}): pg.Pool {
  registerSecret(options.connectionString);
  const name = options.connection ?? { label: 'PostgreSQL', env: 'PGSHIFT_SOURCE_URL' };
  if (options.connectionString !== undefined && !/^postgres(ql)?:\/\//i.test(options.connectionString.trim())) {
    throw new ConfigError(`${name.label}: ${name.env} is not a postgres:// URL; set it to one such as postgres://loader@db.example.com:5432/shop`, {
      connection: name.label,
    });
  }
  const timeouts = options.timeouts ?? DEFAULT_TIMEOUTS;
  const pool = new pg.Pool({
    connectionString: options.connectionString,
    max: options.max ?? 4,
    application_name: options.applicationName ?? 'pgshift',
    connectionTimeoutMillis: timeouts.connectMs,
    // The server ends a statement or an idle-in-transaction session that outlives its limit.
    // (node-postgres's client-side query_timeout is not used: it arms a timer COPY streams never
    // clear, which would keep the process alive for hours after the work is done.)
    statement_timeout: timeouts.queryMs,
    idle_in_transaction_session_timeout: timeouts.idleMs,
    idleTimeoutMillis: Math.min(timeouts.idleMs, 30_000),
    keepAlive: true,
  });
  // An idle client losing its server must not crash the process; the next query reports it.
  pool.on('error', () => {});
  // Nor a checked-out one: node-postgres fails its running query and then emits 'error' on the
  // client, which would crash the process unhandled. The query's own error tells the story, and
  // the pool drops the broken client on release.
  pool.on('connect', (client) => client.on('error', () => {}));
  pool.on('acquire', markBusy);
  pool.on('release', (_error, client) => markIdle(client));
  pool.on('remove', markIdle);
  const connect = pool.connect.bind(pool) as () => Promise<pg.PoolClient>;
  // pool.query() connects through the callback form; only the promise form is named and abandonable.
  pool.connect = ((callback?: unknown) =>
    callback ? (connect as unknown as (cb: unknown) => void)(callback) : connectNamed(connect, name, timeouts)) as typeof pool.connect;
  // An abandoned attempt must not keep its socket open (nor pool.end() waiting on it).
  const forget = onAbandon(() => closeConnectingClients(pool));
  const end = pool.end.bind(pool);
  pool.end = (() => {
    forget();
    return end();
  }) as typeof pool.end;
  return pool;
}

/** Destroys the sockets of the pool's clients still connecting; node-postgres offers no public way. */
function closeConnectingClients(pool: pg.Pool): void {
  const clients = (pool as unknown as { _clients?: { _connecting?: boolean; _connected?: boolean; connection: { stream: { destroy(): void } } }[] })._clients;
  for (const client of clients ?? []) if (client._connecting && !client._connected) client.connection.stream.destroy();
}

/** A connection from the pool, its failure named, abandoned when every session is cancelled. */
function connectNamed(connect: () => Promise<pg.PoolClient>, name: ConnectionName, timeouts: TimeoutSettings): Promise<pg.PoolClient> {
  if (sessionsAbandoned.aborted) return Promise.reject(new CancelledError(`${name.label}: cancelled before connecting`, { connection: name.label }));
  return new Promise((resolve, reject) => {
    const abandonAttempt = () => reject(new CancelledError(`${name.label}: connection attempt abandoned (cancelled)`, { connection: name.label }));
    sessionsAbandoned.addEventListener('abort', abandonAttempt, { once: true });
    connect().then(
      (client) => {
        sessionsAbandoned.removeEventListener('abort', abandonAttempt);
        if (sessionsAbandoned.aborted) client.release();
        else resolve(client);
      },
      (error: unknown) => {
        sessionsAbandoned.removeEventListener('abort', abandonAttempt);
        reject(connectFailure(name, timeouts, error));
      },
    );
  });
}

function connectFailure(name: ConnectionName, timeouts: TimeoutSettings, error: unknown): ConnectionError {
  const cause = errorMessage(error);
  const timedOut = /timeout/i.test(cause);
  const message = timedOut
    ? `${name.label}: no answer from the server within ${timeouts.connectMs / 1000}s (timeouts.connect in pgshift.yml); check the host and port in ${name.env}`
    : `${name.label}: cannot connect with ${name.env}: ${cause}`;
  return new ConnectionError(message, { connection: name.label, env: name.env }, { cause: error });
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
  // Bounded HTTP: a Data API endpoint that accepts and never answers fails the request instead
  // of hanging; the SDK retries it as it does any timed-out request. The statement itself runs
  // asynchronously and is bounded by the target's statement_timeout. requestTimeout only warns
  // unless throwOnRequestTimeout is set (@smithy/node-http-handler 4.4 and later).
  // https://docs.aws.amazon.com/sdk-for-javascript/v3/developer-guide/node-configuring-maxsockets.html (requestHandler shorthand)
  // https://docs.aws.amazon.com/AWSJavaScriptSDK/v3/latest/Package/-smithy-node-http-handler
  const timeouts = target.timeouts ?? DEFAULT_TIMEOUTS;
  return new Client({
    region: target.region,
    endpoint: target.endpoint,
    requestHandler: { connectionTimeout: timeouts.connectMs, requestTimeout: timeouts.requestMs, throwOnRequestTimeout: true },
  });
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
