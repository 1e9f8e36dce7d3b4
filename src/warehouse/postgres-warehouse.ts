// The PostgreSQL warehouse (local development, CI, teams without Redshift). Loads stream each
// part from S3 through gunzip into COPY … FROM STDIN, inside one transaction per batch.

import { GetObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { CancelledError, errorMessage, LoadError, WarehouseError } from '../errors.js';
import { quoteIdent, quoteQualified } from '../sql/quote-ident.js';
import { connectionLost, sendCancelRequest } from '../util/postgres-sessions.js';
import { DESCRIBE_TABLE_SQL } from './catalog-queries.js';
import type {
  BatchLoadRequest,
  ExecuteResult,
  ScratchTableRequest,
  Statement,
  StatementOptions,
  TableResult,
  Warehouse,
  WarehouseColumn,
} from './warehouse.js';

/** date, time, timestamp, timestamptz, interval, timetz (pg_type oids). */
const TEXT_KEPT_OIDS = new Set([1082, 1083, 1114, 1184, 1186, 1266]);

/** The pool surface this adapter uses (a pg.Pool satisfies it). */
export interface PostgresPool {
  connect(): Promise<pg.PoolClient>;
  end(): Promise<void>;
}

export class PostgresWarehouse implements Warehouse {
  readonly dialect = 'postgres' as const;

  constructor(
    private readonly pool: PostgresPool,
    private readonly s3: () => S3Client,
    /** Names the connection in errors: `warehouse target dev`. */
    private readonly connection = 'PostgreSQL warehouse',
  ) {}

  async execute(sql: string, params: readonly unknown[] = [], options: StatementOptions = {}): Promise<ExecuteResult> {
    return this.withClient(options, async (client) => {
      const result = await this.run(client, sql, params);
      return { rowCount: result.rowCount ?? -1 };
    });
  }

  async query<Row = Record<string, unknown>>(sql: string, params: readonly unknown[] = [], options: StatementOptions = {}): Promise<Row[]> {
    return this.withClient(options, async (client) => (await this.run(client, sql, params)).rows as Row[]);
  }

  async queryTable(sql: string, params: readonly unknown[] = [], options: StatementOptions = {}): Promise<TableResult> {
    return this.withClient(options, async (client) => {
      // Dates, times and intervals stay text, as the Data API returns them, so both warehouses
      // hand templates the same values (node-postgres would build Date objects).
      const types = {
        getTypeParser: (oid: number, format?: 'text' | 'binary') => (TEXT_KEPT_OIDS.has(oid) ? (value: string) => value : client.getTypeParser(oid, format)),
      };
      let result: pg.QueryResult<unknown[]>;
      try {
        result = await client.query<unknown[]>({ text: sql, values: params as unknown[], rowMode: 'array', types } as pg.QueryArrayConfig);
      } catch (error) {
        throw new WarehouseError(`${this.describe(client, error)} (in: ${sql.replace(/\s+/g, ' ').slice(0, 300)})`, {}, { cause: error });
      }
      return { columns: (result.fields ?? []).map((field) => field.name), rows: result.rows ?? [], rowCount: result.rowCount ?? -1 };
    });
  }

  async transaction(statements: readonly Statement[], options: StatementOptions = {}): Promise<ExecuteResult[]> {
    return this.withClient(options, (client) =>
      this.inTransaction(client, async () => {
        const results: ExecuteResult[] = [];
        for (const statement of statements) {
          const result = await this.run(client, statement.sql, statement.params ?? []);
          results.push({ rowCount: result.rowCount ?? -1 });
        }
        return results;
      }),
    );
  }

  async loadBatch(request: BatchLoadRequest, options: StatementOptions = {}): Promise<{ rows: number }> {
    const relation = quoteQualified(request.schema, request.table);
    const tableId = `${request.schema}.${request.table}`;
    return this.withClient(options, (client) =>
      this.inTransaction(client, async () => {
        // Taken first, before any row is read or deleted: SHARE ROW EXCLUSIVE conflicts with
        // itself (and with the ROW EXCLUSIVE a DELETE takes), so a second load of the table waits
        // here until the first commits, then deletes the rows that one copied instead of adding
        // to them; plain readers (ACCESS SHARE) are not blocked.
        // https://www.postgresql.org/docs/15/explicit-locking.html#LOCKING-TABLES
        await client.query(`lock table ${relation} in share row exclusive mode`);
        // TRUNCATE is transactional in PostgreSQL: readers see the old rows until commit, then the
        // new ones, and views bound to the table keep working (a rename swap would break them).
        if (request.replace === 'table') await client.query(`truncate table ${relation}`);
        else await client.query(`delete from ${relation} where ${quoteIdent(request.batchIdColumn)} = $1`, [request.batchId]);
        const rows = await this.copyParts(client, relation, tableId, request, options);
        if (rows !== request.expectedRows) {
          throw new LoadError(`${tableId}: loaded ${rows} rows for batch ${request.batchId}, but batch.json counts ${request.expectedRows}; rolled back`, {
            table: tableId,
            batch: request.batchId,
          });
        }
        for (const statement of request.afterLoad) await this.run(client, statement.sql, statement.params ?? []);
        return { rows };
      }),
    );
  }

  async loadScratchTable(request: ScratchTableRequest, options: StatementOptions = {}): Promise<void> {
    const relation = quoteQualified(request.schema, request.table);
    const tableId = `${request.schema}.${request.table}`;
    await this.withClient(options, (client) =>
      this.inTransaction(client, async () => {
        await client.query(`drop table if exists ${relation}`);
        await client.query(`create table ${relation} (${request.columns.map((column) => `${quoteIdent(column.name)} ${column.type}`).join(', ')})`);
        const rows = await this.copyParts(client, relation, tableId, request, options);
        if (rows !== request.expectedRows) {
          throw new LoadError(
            `${tableId}: loaded ${rows} rows from s3://${request.bucket}/${request.manifestKey}, but the batch counts ${request.expectedRows}; rolled back`,
            { table: tableId },
          );
        }
        // Without statistics the planner takes the fresh table for empty and may join it by
        // nested loop, quadratic in the keys; ANALYZE gives it the row count the join needs.
        await client.query(`analyze ${relation}`);
      }),
    );
  }

  /** Streams each gzipped CSV part from S3 into COPY … FROM STDIN; returns the rows copied. */
  private async copyParts(
    client: pg.PoolClient,
    relation: string,
    tableId: string,
    request: {
      readonly columns: readonly (string | { readonly name: string })[];
      readonly bucket: string;
      readonly parts: readonly { readonly key: string }[];
      readonly batchId?: string;
    },
    options: StatementOptions,
  ): Promise<number> {
    const names = request.columns.map((column) => (typeof column === 'string' ? column : column.name));
    const copySql = `copy ${relation} (${names.map(quoteIdent).join(', ')}) from stdin with (format csv, null '\\N')`;
    let rows = 0;
    for (const part of request.parts) {
      options.signal?.throwIfAborted();
      const object = await this.s3().send(new GetObjectCommand({ Bucket: request.bucket, Key: part.key }), { abortSignal: options.signal });
      const copy = client.query(copyFrom(copySql));
      try {
        await pipeline(object.Body as Readable, createGunzip({ chunkSize: 256 * 1024 }), copy, { signal: options.signal });
      } catch (error) {
        throw new LoadError(
          `${tableId}: loading s3://${request.bucket}/${part.key} into ${this.connection} failed: ${this.describe(client, error)}`,
          { table: tableId, key: part.key, ...(request.batchId ? { batch: request.batchId } : {}) },
          { cause: error },
        );
      }
      rows += copy.rowCount;
    }
    return rows;
  }

  async describeTable(schema: string, table: string): Promise<WarehouseColumn[] | undefined> {
    const rows = await this.query<{ name: string; type: string }>(DESCRIBE_TABLE_SQL, [schema, table]);
    return rows.length > 0 ? rows : undefined;
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  private async run(client: pg.PoolClient, sql: string, params: readonly unknown[]): Promise<pg.QueryResult> {
    try {
      return await client.query(sql, params as unknown[]);
    } catch (error) {
      throw new WarehouseError(`${this.describe(client, error)} (in: ${sql.replace(/\s+/g, ' ').slice(0, 300)})`, {}, { cause: error });
    }
  }

  /** The error's message; when the server dropped the session, also which connection it was. */
  private describe(client: pg.PoolClient, error: unknown): string {
    return connectionLost(client, error) ? `${this.connection} closed the connection: ${errorMessage(error)}` : errorMessage(error);
  }

  private async inTransaction<T>(client: pg.PoolClient, work: () => Promise<T>): Promise<T> {
    await client.query('begin');
    try {
      const result = await work();
      await client.query('commit');
      return result;
    } catch (error) {
      await client.query('rollback').catch(() => {});
      throw error;
    }
  }

  /** Runs `work` on a pooled client; an abort cancels the running statement server-side (a cancel request, so a busy pool cannot block it). */
  private async withClient<T>(options: StatementOptions, work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    options.signal?.throwIfAborted();
    const client = await this.pool.connect();
    const cancel = () => void sendCancelRequest(client);
    options.signal?.addEventListener('abort', cancel, { once: true });
    let broken: Error | undefined;
    try {
      return await work(client);
    } catch (error) {
      if (options.signal?.aborted) {
        broken = error as Error;
        throw new CancelledError('statement cancelled');
      }
      throw error;
    } finally {
      options.signal?.removeEventListener('abort', cancel);
      client.release(broken);
    }
  }
}
