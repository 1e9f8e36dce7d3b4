// The emulator's injected failures: a seeded share of statements ends FAILED with Redshift's
// ERROR 1023 text in DescribeStatement's Error, nothing of it (or its batch) applied, the same
// statements on every run with the same seed.
// https://docs.aws.amazon.com/redshift-data/latest/APIReference/API_DescribeStatement.html

import { BatchExecuteStatementCommand, DescribeStatementCommand, ExecuteStatementCommand, RedshiftDataClient } from '@aws-sdk/client-redshift-data';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RedshiftEmulator, startRedshiftEmulator } from '../support/redshift-emulator/index.js';
import { createTestDatabase, type TestDatabase, testS3Endpoint } from '../support/test-env.js';
import { waitFor } from '../support/wait-for.js';

const CLUSTER = { ClusterIdentifier: 'emulated-cluster', Database: 'dev', DbUser: 'loader' };

describe('the emulator failing a seeded share of statements', () => {
  let database: TestDatabase;
  let emulator: RedshiftEmulator;
  let client: RedshiftDataClient;

  beforeAll(async () => {
    database = await createTestDatabase('redshift_failures');
    emulator = await startRedshiftEmulator({ postgresUrl: database.url, s3Endpoint: testS3Endpoint() });
    client = new RedshiftDataClient({ endpoint: emulator.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' } });
  });
  afterAll(async () => {
    client?.destroy();
    await emulator?.close();
    await database?.drop();
  });

  async function finalState(id: string): Promise<{ status: string; error?: string }> {
    return waitFor(
      async () => {
        const described = await client.send(new DescribeStatementCommand({ Id: id }));
        return ['FINISHED', 'FAILED', 'ABORTED'].includes(described.Status ?? '') ? { status: described.Status!, error: described.Error } : undefined;
      },
      new Promise(() => {}),
      `statement ${id} to end`,
    );
  }

  /** Runs 12 batches that each insert one row; returns F/. per batch and the rows that stand. */
  async function pattern(seed: number): Promise<{ seen: string; errors: string[]; rows: number[] }> {
    const setup = await client.send(
      new BatchExecuteStatementCommand({ ...CLUSTER, Sqls: ['drop table if exists public.failing', 'create table public.failing (n int)'] }),
    );
    expect((await finalState(setup.Id!)).status).toBe('FINISHED');
    emulator.setFailures({ share: 0.4, seed });
    let seen = '';
    const errors: string[] = [];
    try {
      for (let n = 0; n < 12; n++) {
        const { Id } = await client.send(
          new BatchExecuteStatementCommand({
            ...CLUSTER,
            Sqls: [`insert into public.failing values (${n})`, `insert into public.failing values (${n + 100})`],
          }),
        );
        const state = await finalState(Id!);
        seen += state.status === 'FAILED' ? 'F' : state.status === 'FINISHED' ? '.' : '?';
        if (state.error) errors.push(state.error);
      }
      expect(emulator.injectedFaults().failed).toBe([...seen].filter((c) => c === 'F').length);
    } finally {
      emulator.setFailures({});
    }
    const pool = new pg.Pool({ connectionString: database.url, max: 1 });
    try {
      const { rows } = await pool.query<{ n: number }>('select n from public.failing where n < 100 order by n');
      const { rows: pairs } = await pool.query<{ n: number }>('select n - 100 as n from public.failing where n >= 100 order by n');
      expect(pairs.map((row) => row.n)).toEqual(rows.map((row) => row.n)); // a batch applies whole or not at all
      return { seen, errors, rows: rows.map((row) => row.n) };
    } finally {
      await pool.end();
    }
  }

  it('fails the same statements on every run of a seed, FAILED with ERROR 1023, their batch rolled back', async () => {
    const first = await pattern(5);
    expect(first.seen).toMatch(/^[.F]{12}$/);
    expect(first.seen).toContain('F');
    expect(first.seen).toContain('.');
    for (const error of first.errors) expect(error).toMatch(/^ERROR: 1023 DETAIL: Serializable isolation violation on table - public\.failing/);
    expect(first.errors).toHaveLength([...first.seen].filter((c) => c === 'F').length);
    // Only the batches that finished left rows.
    expect(first.rows).toEqual([...first.seen].flatMap((c, n) => (c === '.' ? [n] : [])));
    expect((await pattern(5)).seen).toBe(first.seen);
    expect((await pattern(6)).seen).not.toBe(first.seen);
  });

  it('fails nothing once turned off', async () => {
    const { Id } = await client.send(new ExecuteStatementCommand({ ...CLUSTER, Sql: 'select 1' }));
    expect((await finalState(Id!)).status).toBe('FINISHED');
  });

  it('reports a statement whose backend was terminated as FAILED and keeps serving', async () => {
    const { Id } = await client.send(new ExecuteStatementCommand({ ...CLUSTER, Sql: 'select pg_sleep(600)' }));
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    try {
      const pid = await waitFor(
        async () => {
          const { rows } = await admin.query<{ pid: number }>(
            `select pid from pg_stat_activity where datname = current_database() and state = 'active' and query like 'select pg_sleep(600)%'`,
          );
          return rows[0]?.pid;
        },
        new Promise(() => {}),
        'the sleeping statement in pg_stat_activity',
      );
      await admin.query('select pg_terminate_backend($1)', [pid]);
    } finally {
      await admin.end();
    }
    const ended = await finalState(Id!);
    expect(ended.status).toBe('FAILED');
    expect(ended.error).toMatch(/terminat/);
    const next = await client.send(new ExecuteStatementCommand({ ...CLUSTER, Sql: 'select 1' }));
    expect((await finalState(next.Id!)).status).toBe('FINISHED');
  });
});
