// Runs SQL through the Redshift Data API: submit (ExecuteStatement or BatchExecuteStatement), poll
// DescribeStatement with exponential backoff until a final status, page GetStatementResult, and
// cancel the statement server-side when the caller aborts or the statement outlives its timeout.
// A statement refused by throttling, or rolled back by a serializable-isolation conflict (ERROR
// 1023), is sent again after a backoff: in both cases nothing of it took effect.

import {
  BatchExecuteStatementCommand,
  type BatchExecuteStatementOutput,
  CancelStatementCommand,
  type ColumnMetadata,
  DescribeStatementCommand,
  type DescribeStatementResponse,
  ExecuteStatementCommand,
  type ExecuteStatementOutput,
  type Field,
  GetStatementResultCommand,
  type GetStatementResultResponse,
  type SqlParameter,
} from '@aws-sdk/client-redshift-data';
import { CancelledError, errorMessage, WarehouseError } from '../errors.js';
import { redact } from '../log/redact.js';

export type DataApiCommand =
  | ExecuteStatementCommand
  | BatchExecuteStatementCommand
  | DescribeStatementCommand
  | GetStatementResultCommand
  | CancelStatementCommand;

/** The part of RedshiftDataClient this adapter calls, so a unit test can hand in a fake. */
export interface DataApiClient {
  send(command: DataApiCommand): Promise<unknown>;
  destroy?(): void;
}

/** Which warehouse and credentials every call names (see redshiftStatementTarget). */
export interface StatementTarget {
  readonly ClusterIdentifier?: string;
  readonly WorkgroupName?: string;
  readonly Database: string;
  readonly DbUser?: string;
  readonly SecretArn?: string;
}

export interface PollingOptions {
  /** First wait between DescribeStatement calls; it doubles up to `pollMaxMs`. */
  readonly pollInitialMs: number;
  readonly pollMaxMs: number;
  /** A statement still running after this long is cancelled; 0 waits forever. */
  readonly timeoutMs: number;
  /** How long to watch a cancelled statement reach its final status before giving up. */
  readonly cancelWaitMs: number;
  /** Waits `ms`, or less when `signal` aborts. */
  readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  readonly now: () => number;
  /** How many times a throttled submission or a statement aborted by ERROR 1023 is sent again. */
  readonly retries: number;
  /** First wait before such a retry; it doubles each time, with up to 50% random jitter added. */
  readonly retryBaseMs: number;
  readonly random: () => number;
}

// Polling starts at 250 ms: a Redshift statement seldom finishes sooner, and every
// DescribeStatement counts against the account's Data API request quota, which many concurrent
// loads share (https://docs.aws.amazon.com/redshift/latest/mgmt/amazon-redshift-limits.html).
export const DEFAULT_POLLING: Omit<PollingOptions, 'timeoutMs'> = {
  pollInitialMs: 250,
  pollMaxMs: 5000,
  cancelWaitMs: 10_000,
  retries: 4,
  retryBaseMs: 1000,
  random: Math.random,
  sleep: abortableSleep,
  now: () => Date.now(),
};

/** A statement Redshift ran and reported FAILED, with what it said and which statement it was. */
export class RedshiftStatementError extends WarehouseError {
  constructor(
    message: string,
    /** `<uuid>`, or `<uuid>:N` for the Nth statement of a batch. */
    readonly statementId: string,
    /** Redshift's own error text. */
    readonly redshiftError: string,
    /** 0-based position of the failed statement in a batch, when Redshift says which one. */
    readonly failedIndex: number | undefined,
  ) {
    super(message, { statementId });
  }
}

const STATEMENT_NAME = 'pgshift';
const FINAL = new Set(['FINISHED', 'FAILED', 'ABORTED']);
const SQL_EXCERPT_CHARS = 500;

export class RedshiftStatementRunner {
  constructor(
    private readonly client: DataApiClient,
    private readonly target: StatementTarget,
    private readonly polling: PollingOptions,
    /** Names the connection in errors: `warehouse target prod (Redshift Data API)`. */
    private readonly connection = 'the Redshift Data API',
  ) {}

  /** Runs one statement and returns its final description (ResultRows, HasResultSet, …). */
  execute(sql: string, parameters: readonly SqlParameter[], signal?: AbortSignal): Promise<DescribeStatementResponse> {
    return this.withRetries([sql], signal, async () => {
      const command = new ExecuteStatementCommand({ ...this.target, Sql: sql, Parameters: nonEmpty(parameters), StatementName: STATEMENT_NAME });
      return ((await this.client.send(command)) as ExecuteStatementOutput).Id;
    });
  }

  /**
   * Runs statements as one transaction (the Data API's default for a batch): all or nothing.
   * Sent without Parameters: the SQL carries its values as literals (redshift-parameters.ts).
   */
  batch(sqls: readonly string[], signal?: AbortSignal): Promise<DescribeStatementResponse> {
    return this.withRetries(sqls, signal, async () => {
      const command = new BatchExecuteStatementCommand({ ...this.target, Sqls: [...sqls], StatementName: STATEMENT_NAME });
      return ((await this.client.send(command)) as BatchExecuteStatementOutput).Id;
    });
  }

  /** Every record of a finished statement's result, following NextToken page by page. */
  async records(statementId: string, signal?: AbortSignal): Promise<{ columns: ColumnMetadata[]; records: Field[][] }> {
    let columns: ColumnMetadata[] = [];
    const records: Field[][] = [];
    let nextToken: string | undefined;
    do {
      if (signal?.aborted) throw new CancelledError(`cancelled while reading the result of Redshift statement ${statementId}`, { statementId });
      let page: GetStatementResultResponse | undefined;
      // A throttled page is asked for again: reading a finished result repeats nothing.
      for (let attempt = 0, wait = this.polling.pollInitialMs, done = false; !done; attempt++, wait = Math.min(wait * 2, this.polling.pollMaxMs)) {
        try {
          page = (await this.client.send(new GetStatementResultCommand({ Id: statementId, NextToken: nextToken }))) as GetStatementResultResponse;
          done = true;
        } catch (error) {
          if (!isTransient(error) || attempt >= this.polling.retries) {
            throw new WarehouseError(
              `reading the result of Redshift statement ${statementId} failed: ${errorMessage(error)}`,
              { statementId },
              { cause: error },
            );
          }
          await this.polling.sleep(wait, signal);
        }
      }
      if (columns.length === 0 && page?.ColumnMetadata) columns = page.ColumnMetadata;
      records.push(...(page?.Records ?? []));
      nextToken = page?.NextToken;
    } while (nextToken);
    return { columns, records };
  }

  /**
   * Submits and follows a statement, and sends it again when throttling refused it or ERROR 1023
   * rolled it back. Redshift's remedy for 1023 is to retry the transaction:
   * https://docs.aws.amazon.com/redshift/latest/dg/c_serial_isolation-serializable-isolation-troubleshooting.html
   * A failed statement (or batch: one transaction) has rolled back entirely, so sending the same
   * SQL again repeats the unit, not part of it. Throttling is the Data API's ThrottlingException
   * (https://docs.aws.amazon.com/redshift-data/latest/APIReference/CommonErrors.html).
   */
  private async withRetries(
    sqls: readonly string[],
    signal: AbortSignal | undefined,
    submit: () => Promise<string | undefined>,
  ): Promise<DescribeStatementResponse> {
    const { polling } = this;
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.run(sqls, signal, submit);
      } catch (error) {
        const retryable = error instanceof SubmitThrottledError || (error instanceof RedshiftStatementError && isSerializationConflict(error.redshiftError));
        if (!retryable || attempt >= polling.retries || signal?.aborted) throw error instanceof SubmitThrottledError ? error.wrapped : error;
        const base = polling.retryBaseMs * 2 ** attempt;
        await polling.sleep(base + Math.floor(base * 0.5 * polling.random()), signal);
        if (signal?.aborted) throw new CancelledError('cancelled before the statement was sent to Redshift again');
      }
    }
  }

  private async run(sqls: readonly string[], signal: AbortSignal | undefined, submit: () => Promise<string | undefined>): Promise<DescribeStatementResponse> {
    if (signal?.aborted) throw new CancelledError('cancelled before the statement was sent to Redshift');
    let id: string | undefined;
    try {
      id = await submit();
    } catch (error) {
      const regionHint = /region is missing/i.test(errorMessage(error)) ? ' (set region on the target in pgshift.yml, or AWS_REGION)' : '';
      // An error without an HTTP status never reached the Data API (no connection, a timeout).
      const reached = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode !== undefined;
      const what = reached ? 'refused the statement' : 'could not be reached';
      const wrapped = new WarehouseError(
        `${this.connection} ${what}: ${redact(errorMessage(error))}${regionHint}\n  in: ${sqlExcerpt(sqls.join(';\n'))}`,
        {},
        { cause: error },
      );
      throw isThrottling(error) ? new SubmitThrottledError(wrapped) : wrapped;
    }
    if (!id) throw new WarehouseError(`the Redshift Data API accepted the statement but returned no Id\n  in: ${sqlExcerpt(sqls.join(';\n'))}`);

    const { polling } = this;
    const deadline = polling.timeoutMs > 0 ? polling.now() + polling.timeoutMs : Number.POSITIVE_INFINITY;
    let wait = polling.pollInitialMs;
    for (;;) {
      if (signal?.aborted) throw await this.cancelled(id);
      let described: DescribeStatementResponse | undefined;
      try {
        described = await this.describe(id);
      } catch (error) {
        // A throttled or failed DescribeStatement says nothing about the statement, which is
        // probably healthy: keep watching it (within its timeout) with the same backoff.
        if (!isTransient(error)) {
          // A refusal that will not pass (no permission, unknown id) leaves the statement out of
          // sight for good, and it must not stay free to commit later.
          await this.cancel(id);
          throw new WarehouseError(
            `could not follow Redshift statement ${id}: ${redact(errorMessage(error))}; asked Redshift to cancel it`,
            { statementId: id },
            { cause: error },
          );
        }
      }
      if (described?.Status === 'FINISHED') return described;
      if (described?.Status === 'FAILED') throw failure(id, described, sqls);
      if (described?.Status === 'ABORTED') throw new CancelledError(`Redshift statement ${id} was cancelled (status ABORTED)`, { statementId: id });
      const left = deadline - polling.now();
      if (left <= 0) {
        const settled = await this.cancel(id);
        // Finishing in the moment before the cancel landed is finishing: report what really happened.
        if (settled?.Status === 'FINISHED') return settled;
        if (settled?.Status === 'FAILED') throw failure(id, settled, sqls);
        throw new WarehouseError(
          `Redshift statement ${id} did not finish within ${polling.timeoutMs / 1000}s (the target's statement_timeout); ${settledText(settled?.Status)}\n  in: ${sqlExcerpt(sqls.join(';\n'))}`,
          { statementId: id, timeoutMs: polling.timeoutMs },
        );
      }
      await polling.sleep(Math.min(wait, left), signal);
      wait = Math.min(wait * 2, polling.pollMaxMs);
    }
  }

  private async describe(id: string): Promise<DescribeStatementResponse> {
    return (await this.client.send(new DescribeStatementCommand({ Id: id }))) as DescribeStatementResponse;
  }

  private async cancelled(id: string): Promise<CancelledError> {
    const settled = await this.cancel(id);
    return new CancelledError(`cancelled Redshift statement ${id}: ${settledText(settled?.Status)}`, { statementId: id });
  }

  /**
   * Asks Redshift to cancel, then watches the statement until it is final (a cancelled batch has
   * rolled back only once it reads ABORTED). Returns the final description, or undefined if unknown.
   */
  private async cancel(id: string): Promise<DescribeStatementResponse | undefined> {
    try {
      await this.client.send(new CancelStatementCommand({ Id: id }));
    } catch {
      // The statement may have just finished (the service refuses to cancel a final one), or
      // the service is unreachable; either way the status check below says what happened.
    }
    const { polling } = this;
    const deadline = polling.now() + polling.cancelWaitMs;
    let wait = polling.pollInitialMs;
    for (;;) {
      try {
        const described = await this.describe(id);
        if (described.Status && FINAL.has(described.Status)) return described;
      } catch {
        return undefined;
      }
      const left = deadline - polling.now();
      if (left <= 0) return undefined;
      // No signal here: the caller's signal has usually fired already and would end every wait at once.
      await polling.sleep(Math.min(wait, left));
      wait = Math.min(wait * 2, polling.pollMaxMs);
    }
  }
}

function failure(id: string, described: DescribeStatementResponse, sqls: readonly string[]): RedshiftStatementError {
  const subStatements = described.SubStatements ?? [];
  const index = subStatements.findIndex((sub) => sub.Status === 'FAILED');
  const failed = index >= 0 ? subStatements[index] : undefined;
  const statementId = failed?.Id ?? id;
  const redshiftError = (failed?.Error ?? described.Error ?? 'Redshift gave no error text').trim();
  const sql = index >= 0 ? (sqls[index] ?? failed?.QueryString ?? '') : sqls.join(';\n');
  return new RedshiftStatementError(
    `Redshift statement ${statementId} failed: ${redact(redshiftError)}\n  in: ${sqlExcerpt(sql)}`,
    statementId,
    redshiftError,
    index >= 0 ? index : undefined,
  );
}

function settledText(status: string | undefined): string {
  switch (status) {
    case 'ABORTED':
      return 'it was cancelled and rolled back';
    case 'FINISHED':
      return 'it finished before the cancel reached it, so its changes stand';
    case 'FAILED':
      return 'it failed before the cancel reached it';
    default:
      return 'a cancel was requested, but its final status is unknown';
  }
}

/** The SQL on one line, with secrets masked, cut to a readable length for an error message. */
export function sqlExcerpt(sql: string): string {
  const text = redact(sql.replace(/\s+/g, ' ').trim());
  return text.length > SQL_EXCERPT_CHARS ? `${text.slice(0, SQL_EXCERPT_CHARS)}…` : text;
}

/** A submission refused by throttling: nothing ran, so it may be sent again. */
class SubmitThrottledError extends Error {
  constructor(readonly wrapped: WarehouseError) {
    super(wrapped.message);
  }
}

/** ERROR 1023, "Serializable isolation violation on table". */
export function isSerializationConflict(redshiftError: string): boolean {
  return /\b1023\b/.test(redshiftError) || /serializable isolation violation/i.test(redshiftError);
}

function isThrottling(error: unknown): boolean {
  const name = (error as { name?: string } | undefined)?.name ?? '';
  const status = (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
  return /Throttl|TooManyRequests|RequestLimitExceeded/i.test(name) || status === 429;
}

/** Errors that say the service or network was busy, not that the request can never succeed. */
function isTransient(error: unknown): boolean {
  if (isThrottling(error)) return true;
  const name = (error as { name?: string } | undefined)?.name ?? '';
  const status = (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata?.httpStatusCode;
  if (status !== undefined) return status >= 500;
  if (/InternalServer|ServiceUnavailable|Timeout|ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|EAI_AGAIN|socket hang up/i.test(`${name} ${errorMessage(error)}`))
    return true;
  // No HTTP status at all: the request never got an answer (a network failure).
  return !(error instanceof WarehouseError);
}

function nonEmpty(parameters: readonly SqlParameter[]): SqlParameter[] | undefined {
  // The Data API rejects an empty Parameters list, so it is left out instead.
  return parameters.length > 0 ? [...parameters] : undefined;
}

function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  if (ms <= 0 || signal?.aborted) return Promise.resolve();
  return new Promise((resolve) => {
    const done = (): void => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}
