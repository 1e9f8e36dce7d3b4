// Runs accepted statements in the background, as the Data API does: SUBMITTED → PICKED →
// STARTED → FINISHED | FAILED | ABORTED, each on a pooled connection that is reset afterwards
// (every Data API call without a session is a session of its own).

import type { S3Client } from '@aws-sdk/client-s3';
import type pg from 'pg';
import { executePart } from './execute-part.js';
import { injectedConflictText, type InjectedFailures } from './injected-failures.js';
import { quoteIdent } from '../../../src/sql/quote-ident.js';
import { redshiftErrorText } from './redshift-errors.js';
import { isTerminal, setStatus, type Statement, type StatementPart, type StatementRequest } from './statement-store.js';
import type { TypeCatalog } from './type-catalog.js';

export interface RunnerOptions {
  pool: pg.Pool;
  /** A connection of its own for pg_cancel_backend, so a full pool cannot delay a cancel. */
  admin: pg.ClientBase;
  s3: S3Client;
  catalog: TypeCatalog;
  /**
   * DescribeStatement calls a statement answers before it starts: the first sees SUBMITTED, the
   * second PICKED. Progress is counted in calls, not time, so tests that poll are deterministic.
   */
  pollsBeforeStart: number;
  failWhen: () => RegExp | undefined;
  /** A seeded share of statements that fail with ERROR 1023 (injected-failures.ts). */
  failures: InjectedFailures;
  strict: boolean;
  /** The PostgreSQL role a statement runs as, if not the emulator's own (superuser) login. */
  runAs: (request: StatementRequest) => string | undefined;
}

const withErrorListener = new WeakSet<pg.PoolClient>();

class InjectedFailure extends Error {
  override name = 'InjectedFailure';
}

export class StatementRunner {
  private readonly running = new Map<string, { statement: Statement; done: Promise<void>; abort: AbortController }>();
  private readonly waiting = new Map<string, { polls: number; release: () => void }>();
  private queryIds = 100_000;

  constructor(private readonly options: RunnerOptions) {}

  start(statement: Statement): void {
    const abort = new AbortController();
    const done = this.run(statement, abort.signal).finally(() => this.running.delete(statement.id));
    this.running.set(statement.id, { statement, done, abort });
  }

  /** Called after DescribeStatement answered for `statement`: moves a waiting one a step on. */
  described(statement: Statement): void {
    const waiting = this.waiting.get(statement.id);
    if (!waiting) return;
    waiting.polls += 1;
    if (waiting.polls >= this.options.pollsBeforeStart) waiting.release();
    else setStatus(statement, 'PICKED');
  }

  /** Asks the statement to stop; it ends ABORTED once the backing query gives up. */
  async cancel(statement: Statement): Promise<void> {
    statement.cancelRequested = true;
    this.running.get(statement.id)?.abort.abort();
    // A cancel that lands between two queries of a batch finds no query to stop, so repeat it
    // until the statement has noticed the request.
    for (let attempt = 0; attempt < 50 && !isTerminal(statement.status); attempt++) {
      if (statement.redshiftPid !== undefined) {
        await this.options.admin.query('select pg_cancel_backend($1)', [statement.redshiftPid]);
      }
      await delay(100);
    }
  }

  /** Cancels whatever still runs and waits until every statement has let go of its connection. */
  async stopAll(): Promise<void> {
    const active = [...this.running.values()];
    await Promise.allSettled(active.map((entry) => this.cancel(entry.statement)));
    await Promise.allSettled(active.map((entry) => entry.done));
  }

  private async run(statement: Statement, signal: AbortSignal): Promise<void> {
    await this.untilPolled(statement, signal);
    if (statement.cancelRequested || signal.aborted) return this.finishAborted(statement);

    let client: pg.PoolClient;
    try {
      client = await this.options.pool.connect();
    } catch (error) {
      return this.finishFailed(statement, statement.parts[0]!, error);
    }
    // A backend terminated under a checked-out client ends its connection after the query has
    // failed; pg emits that as an 'error' event, which would crash the process hosting the
    // emulator. The statement already reports the failure, and the finally block discards it.
    if (!withErrorListener.has(client)) {
      client.on('error', () => {});
      withErrorListener.add(client);
    }
    let broken: Error | undefined;
    try {
      const { rows } = await client.query<{ pid: number }>('select pg_backend_pid() as pid');
      statement.redshiftPid = rows[0]!.pid;
      // The Data API runs a statement as the database user its DbUser, secret or IAM identity
      // names; DISCARD ALL in the finally block undoes this for the next statement.
      const role = this.options.runAs(statement.request);
      if (role !== undefined) await client.query(`set session authorization ${quoteIdent(role)}`);
      setStatus(statement, 'STARTED');
      if (statement.isBatch) await client.query('begin');
      for (const part of statement.parts) {
        if (statement.cancelRequested) throw new Error('canceling statement due to user request');
        await this.runPart(statement, part, client, signal);
      }
      if (statement.isBatch) await client.query('commit');
      statement.resultRows = statement.isBatch ? sum(statement.parts.map((part) => part.resultRows)) : statement.resultRows;
      statement.hasResultSet = statement.parts.some((part) => part.hasResultSet);
      statement.resultSize = sum(statement.parts.map((part) => part.resultSize));
      setStatus(statement, 'FINISHED');
    } catch (error) {
      if (statement.isBatch) await client.query('rollback').catch(() => {});
      const failed = statement.parts.find((part) => part.status === 'STARTED') ?? statement.parts.at(-1)!;
      if (statement.cancelRequested) this.finishAborted(statement);
      else this.finishFailed(statement, failed, error);
    } finally {
      // Reset the connection so the next statement starts a fresh session, as the Data API's do.
      try {
        await client.query('rollback');
        await client.query('discard all');
      } catch (error) {
        broken = error instanceof Error ? error : new Error(String(error));
      }
      client.release(broken);
    }
  }

  private untilPolled(statement: Statement, signal: AbortSignal): Promise<void> {
    if (this.options.pollsBeforeStart <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const release = (): void => {
        this.waiting.delete(statement.id);
        signal.removeEventListener('abort', release);
        resolve();
      };
      this.waiting.set(statement.id, { polls: 0, release });
      signal.addEventListener('abort', release, { once: true });
    });
  }

  private async runPart(statement: Statement, part: StatementPart, client: pg.PoolClient, signal: AbortSignal): Promise<void> {
    part.redshiftQueryId = ++this.queryIds;
    if (part !== statement) setStatus(part, 'STARTED');
    const failWhen = this.options.failWhen();
    if (failWhen && matches(failWhen, part.sql)) {
      throw new InjectedFailure(`injected failure: the statement matches ${String(failWhen)}`);
    }
    // Drawn once per statement, on its first part, so a batch fails (and rolls back) as a whole.
    if (part === statement.parts[0] && this.options.failures.next()) {
      throw new InjectedFailure(injectedConflictText(firstTableName(part.sql), statement.redshiftPid));
    }
    const outcome = await executePart(part.sql, statement.request.parameters, {
      client,
      s3: this.options.s3,
      catalog: this.options.catalog,
      signal,
      strict: this.options.strict,
      inTransaction: statement.isBatch,
    });
    part.resultRows = outcome.rows;
    part.resultSize = outcome.resultSize;
    part.hasResultSet = outcome.result !== undefined;
    part.result = outcome.result;
    if (part !== statement) setStatus(part, 'FINISHED');
  }

  private finishFailed(statement: Statement, failed: StatementPart, error: unknown): void {
    const message = `ERROR: ${this.options.strict ? redshiftErrorText(error, statement.redshiftPid, /^\s*create\s+or\s+replace\s+procedure\b/i.test(failed.sql)) : error instanceof Error ? error.message : String(error)}`;
    if (failed !== statement) {
      failed.error = message;
      setStatus(failed, 'FAILED');
      for (const part of statement.parts) if (!isTerminal(part.status)) setStatus(part, 'ABORTED');
    }
    statement.error = message;
    setStatus(statement, 'FAILED');
  }

  private finishAborted(statement: Statement): void {
    for (const part of statement.parts) if (!isTerminal(part.status)) setStatus(part, 'ABORTED');
    if (!isTerminal(statement.status)) setStatus(statement, 'ABORTED');
  }
}

function matches(pattern: RegExp, sql: string): boolean {
  pattern.lastIndex = 0; // a /g or /y pattern keeps state between calls
  return pattern.test(sql);
}

/** The first table a statement names, for the text of an injected conflict. */
function firstTableName(sql: string): string {
  return /\b(?:into|from|table|update|join)\s+([\w."]+)/i.exec(sql)?.[1]?.replaceAll('"', '') ?? 'unknown';
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + Math.max(value, 0), 0);
}

function delay(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
