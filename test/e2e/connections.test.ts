// What a user sees when a server misbehaves: one that accepts and never answers, refuses the
// password, or ends pgshift's session mid-COPY, and Ctrl-C while statements wait on a lock.
// Every wait is on an observable state (pg_stat_activity, a socket accepted), never a clock.

import { readRunResults } from '../../src/run/run-results.js';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli } from '../support/run-cli.js';
import { createTestBucket, createTestDatabase, testS3Endpoint, type TestBucket, type TestDatabase } from '../support/test-env.js';

const PASSWORD = 'Sup3rS3cret';

/** A server that accepts connections and never says a word, like a firewall or an empty load balancer. */
async function silentServer(): Promise<{ url: string; accepted: Promise<void>; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  let onAccepted!: () => void;
  const accepted = new Promise<void>((resolve) => {
    onAccepted = resolve;
  });
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('error', () => {});
    onAccepted();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return {
    url: `postgres://loader:${PASSWORD}@127.0.0.1:${port}/shop`,
    accepted,
    close: async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A server that answers every login with PostgreSQL's "password authentication failed" (28P01). */
async function refusingServer(): Promise<{ url: string; close(): Promise<void> }> {
  // ErrorResponse: 'E', Int32 length, then (code byte, C string) fields and a final zero byte.
  // https://www.postgresql.org/docs/current/protocol-message-formats.html
  const fields = Buffer.from('SFATAL\0VFATAL\0C28P01\0Mpassword authentication failed for user "loader"\0\0');
  const length = Buffer.alloc(4);
  length.writeInt32BE(fields.length + 4);
  const reply = Buffer.concat([Buffer.from('E'), length, fields]);
  const server = net.createServer((socket) => {
    socket.on('error', () => {});
    socket.once('data', () => socket.end(reply));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return { url: `postgres://loader:${PASSWORD}@127.0.0.1:${port}/dwh`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** Polls pg_stat_activity until pgshift has a statement matching `pattern` waiting on a lock; returns its pid. */
async function waitForBlockedStatement(url: string, pattern: string): Promise<number> {
  return withClient(url, async (client) => {
    for (;;) {
      const { rows } = await client.query<{ pid: number }>(
        `select pid from pg_stat_activity
          where datname = current_database() and application_name = 'pgshift' and wait_event_type = 'Lock' and query ilike $1`,
        [pattern],
      );
      if (rows[0]) return rows[0].pid;
      await client.query('select pg_sleep(0.05)');
    }
  });
}

/** pgshift's statements still waiting on a lock. */
async function blockedStatements(url: string): Promise<number> {
  return withClient(url, async (client) => {
    const { rows } = await client.query<{ n: number }>(
      `select count(*)::int as n from pg_stat_activity where datname = current_database() and application_name = 'pgshift' and wait_event_type = 'Lock'`,
    );
    return rows[0]!.n;
  });
}

/** A session holding an access exclusive lock on `table` until release() (and the test) says so. */
async function lockTable(url: string, table: string): Promise<{ release(): Promise<void> }> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query(`begin; lock table ${table} in access exclusive mode`);
  return {
    release: async () => {
      await client.query('rollback');
      await client.end();
    },
  };
}

describe('connections that hang, refuse or drop', () => {
  let source: TestDatabase;
  let warehouse: TestDatabase;
  let bucket: TestBucket;
  let projectDir: string;
  let patientProjectDir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    source = await createTestDatabase('conn_src');
    warehouse = await createTestDatabase('conn_wh');
    bucket = await createTestBucket('conn');
    await withClient(source.url, (client) =>
      client.query(`create table orders (id int primary key, updated_at timestamptz not null);
        create table customers (id int primary key, updated_at timestamptz not null);
        insert into orders select g, '2026-11-23 00:00:00+00'::timestamptz + g * interval '1 minute' from generate_series(1, 300) g;
        insert into customers select g, '2026-11-23 00:00:00+00'::timestamptz + g * interval '1 minute' from generate_series(1, 200) g;`),
    );
    const project = (timeouts: string) => `name: conn_test
timeouts: ${timeouts}
staging: { bucket: ${bucket.bucket} }
targets: { dev: { type: postgres } }
sources:
  shop:
    tables:
      orders: { primary_key: id, cursor: updated_at }
      customers: { primary_key: id, cursor: updated_at }
`;
    projectDir = await mkdtemp(path.join(tmpdir(), 'pgshift-conn-'));
    await writeFile(path.join(projectDir, 'pgshift.yml'), project('{ connect: 2s }'));
    // A seed gives `pgshift seed` something to do, so it connects to the warehouse.
    await mkdir(path.join(projectDir, 'seeds'));
    await writeFile(path.join(projectDir, 'seeds', 'regions.csv'), 'id,name\n1,eu\n');
    // A connect timeout no test outlasts: only cancelling can end the attempt.
    patientProjectDir = await mkdtemp(path.join(tmpdir(), 'pgshift-conn-patient-'));
    await writeFile(path.join(patientProjectDir, 'pgshift.yml'), project('{ connect: 1h }'));
    env = { PGSHIFT_SOURCE_URL: source.url, PGSHIFT_WAREHOUSE_URL: warehouse.url, PGSHIFT_S3_ENDPOINT: testS3Endpoint(), PGSHIFT_PROJECT_DIR: projectDir };
  });

  afterAll(async () => {
    await source.drop();
    await warehouse.drop();
    await bucket.drop();
    await rm(projectDir, { recursive: true, force: true });
    await rm(patientProjectDir, { recursive: true, force: true });
  });

  it('gives up on a source that never answers, naming the source and its variable', async () => {
    const silent = await silentServer();
    try {
      const result = await runCli(['extract', '--date', '2026-11-23', '--select', 'shop.orders'], { ...env, PGSHIFT_SOURCE_URL: silent.url });
      expect(result.code, result.stderr).toBe(1);
      expect(result.stderr).toMatch(
        /source shop: no answer from the server within 2s \(timeouts\.connect in pgshift\.yml\); check the host and port in PGSHIFT_SOURCE_URL/,
      );
      expect(result.stderr).not.toContain(PASSWORD);
    } finally {
      await silent.close();
    }
  });

  it('gives up on a warehouse that never answers, naming the target and its variable', async () => {
    const silent = await silentServer();
    try {
      const result = await runCli(['seed'], { ...env, PGSHIFT_WAREHOUSE_URL: silent.url });
      expect(result.code, result.stderr).toBe(1);
      expect(result.stderr).toMatch(/warehouse target dev: no answer from the server within 2s .*PGSHIFT_WAREHOUSE_URL/);
      expect(result.stderr).not.toContain(PASSWORD);
    } finally {
      await silent.close();
    }
  });

  it('reports a refused warehouse password in one line naming the target and variable, exit 1', async () => {
    const refusing = await refusingServer();
    try {
      const result = await runCli(['seed'], { ...env, PGSHIFT_WAREHOUSE_URL: refusing.url });
      expect(result.code, result.stderr).toBe(1);
      expect(result.stderr.trim().split('\n')).toEqual([
        'error: warehouse target dev: cannot connect with PGSHIFT_WAREHOUSE_URL: password authentication failed for user "loader"',
      ]);
    } finally {
      await refusing.close();
    }
  });

  it('calls a warehouse URL that is not a URL what it is, exit 1', async () => {
    const result = await runCli(['seed'], { ...env, PGSHIFT_WAREHOUSE_URL: 'base' });
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([
      'error: warehouse target dev: PGSHIFT_WAREHOUSE_URL is not a postgres:// URL; set it to one such as postgres://loader@db.example.com:5432/shop',
    ]);
  });

  it('cancels a COPY waiting on a lock on the source at the first Ctrl-C, and exits 130', async () => {
    const lock = await lockTable(source.url, 'orders');
    try {
      const extract = startCli(['extract', '--date', '2026-11-23', '--select', 'shop.orders'], env);
      // The first statement of the extract that touches the table waits: the size read that
      // plans its ranges (pg_relation_size locks it) or, for a table read whole, the COPY.
      await waitForBlockedStatement(source.url, '%');
      extract.child.kill('SIGINT');
      const result = await extract.exited;
      expect(result.code, result.stderr).toBe(130);
      expect(result.stderr).not.toContain('still winding down');
      // The lock is still held: only a cancel request can have ended the waiting statement.
      expect(await blockedStatements(source.url)).toBe(0);
    } finally {
      await lock.release();
    }
  });

  it('abandons a connection attempt on a silent server at Ctrl-C, and exits 130', async () => {
    const silent = await silentServer();
    try {
      const extract = startCli(['extract', '--date', '2026-11-23', '--select', 'shop.orders'], {
        ...env,
        PGSHIFT_PROJECT_DIR: patientProjectDir,
        PGSHIFT_SOURCE_URL: silent.url,
      });
      await silent.accepted;
      extract.child.kill('SIGINT');
      const result = await extract.exited;
      expect(result.code, result.stderr).toBe(130);
      // Wound down by itself, the attempt abandoned, not ended by the grace period's forced exit.
      expect(result.stderr).not.toContain('still winding down');
    } finally {
      await silent.close();
    }
  });

  it('exits 130 on a second Ctrl-C', async () => {
    const silent = await silentServer();
    try {
      const extract = startCli(['extract', '--date', '2026-11-23', '--select', 'shop.orders'], {
        ...env,
        PGSHIFT_PROJECT_DIR: patientProjectDir,
        PGSHIFT_SOURCE_URL: silent.url,
      });
      await silent.accepted;
      extract.child.kill('SIGINT');
      extract.child.kill('SIGINT');
      expect((await extract.exited).code).toBe(130);
    } finally {
      await silent.close();
    }
  });

  it('fails only the source node whose session the server ended mid-COPY, writes the results, and a rerun completes', async () => {
    const lock = await lockTable(source.url, 'orders');
    let result: Awaited<ReturnType<typeof runCli>>;
    try {
      const run = startCli(['run', '--date', '2026-11-23'], env);
      // Only orders is locked, so whatever waits on a lock is its extract.
      const pid = await waitForBlockedStatement(source.url, '%');
      await withClient(source.url, (client) => client.query('select pg_terminate_backend($1)', [pid]));
      result = await run.exited;
    } finally {
      await lock.release();
    }
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toMatch(
      /shop\.orders: extract failed[^\n]*: source shop \(PGSHIFT_SOURCE_URL\) closed the connection: terminating connection due to administrator command/,
    );
    const results = (await readRunResults(path.join(projectDir, 'target')))!;
    const statuses = Object.fromEntries(results.results.map((entry) => [entry.unique_id, entry.status]));
    expect(
      Object.entries(statuses)
        .filter(([id]) => id.includes('customers'))
        .every(([, status]) => status === 'success'),
      JSON.stringify(statuses),
    ).toBe(true);
    expect(
      Object.entries(statuses).some(([id, status]) => id.includes('orders') && status === 'error'),
      JSON.stringify(statuses),
    ).toBe(true);

    const rerun = await runCli(['run', '--date', '2026-11-23'], env);
    expect(rerun.code, rerun.stderr).toBe(0);
  });

  it('fails the load whose warehouse session the server ended mid-COPY, and a rerun completes', async () => {
    // A first run creates raw.orders; then a trigger makes the load's COPY wait on an advisory
    // lock the test holds, so the COPY is surely running when its session is ended.
    const first = await runCli(['run', '--date', '2026-11-23'], env);
    expect(first.code, first.stderr).toBe(0);
    const holder = new pg.Client({ connectionString: warehouse.url });
    await holder.connect();
    holder.on('error', () => {});
    await holder.query(`create function public.wait_for_test() returns trigger language plpgsql as $$
        begin perform pg_advisory_xact_lock_shared(4242); return new; end $$;
      create trigger wait_for_test before insert on raw.orders for each row execute function public.wait_for_test();
      select pg_advisory_lock(4242);`);
    let result: Awaited<ReturnType<typeof runCli>>;
    try {
      const run = startCli(['run', '--date', '2026-11-23'], env);
      const pid = await waitForBlockedStatement(warehouse.url, '%orders%');
      await holder.query('select pg_terminate_backend($1)', [pid]);
      result = await run.exited;
    } finally {
      await holder.query('drop trigger wait_for_test on raw.orders; select pg_advisory_unlock(4242)');
      await holder.end();
    }
    expect(result.code, result.stderr).toBe(1);
    expect(result.stderr).toMatch(
      /raw\.orders: loading s3:\/\/\S+ into warehouse target dev failed: warehouse target dev closed the connection: terminating connection/,
    );
    expect(await readFile(path.join(projectDir, 'target', 'run_results.json'), 'utf8')).toContain('closed the connection');

    const rerun = await runCli(['run', '--date', '2026-11-23'], env);
    expect(rerun.code, rerun.stderr).toBe(0);
  });
});
