// The production warehouse: Amazon Redshift through the Redshift Data API. Every statement is
// submitted, polled to a final status and cancelled server-side on abort or timeout; a batch
// load is one BatchExecuteStatement transaction (lock, delete or swap, COPY from S3, count check).

import type { DescribeStatementResponse } from '@aws-sdk/client-redshift-data';
import type { RedshiftTarget } from '../config/target.js';
import { getRedshiftConn, redshiftStatementTarget } from '../connections.js';
import { CancelledError, ConfigError, errorMessage, LoadError, WarehouseError } from '../errors.js';
import { bindDataApiParameters, inlineRedshiftValues } from './redshift-parameters.js';
import { decodeRecords, decodeTable } from './redshift-result-decoding.js';
import { type LoadStep, loadBatchSteps, scratchTableSteps } from './redshift-load-batch-sql.js';
import { describeLoadErrors, LOAD_ERROR_SQL, type LoadErrorRow } from './redshift-load-errors.js';
import { type DataApiClient, DEFAULT_POLLING, type PollingOptions, RedshiftStatementError, RedshiftStatementRunner } from './redshift-statement-runner.js';
import { COLUMN_STORAGE_SQL, DESCRIBE_TABLE_SQL } from './catalog-queries.js';
import type {
  BatchLoadRequest,
  ColumnStorage,
  ExecuteResult,
  ScratchTableRequest,
  Statement,
  StatementOptions,
  TableResult,
  Warehouse,
  WarehouseColumn,
} from './warehouse.js';

export interface RedshiftDataWarehouseOptions extends Partial<Omit<PollingOptions, 'timeoutMs'>> {
  /** COPY's REGION, only for a staging bucket in another region than the cluster. */
  readonly copyRegion?: string;
}

// BatchExecuteStatement takes at most 40 SQL statements.
// https://docs.aws.amazon.com/redshift-data/latest/APIReference/API_BatchExecuteStatement.html
const MAX_BATCH_STATEMENTS = 40;

export class RedshiftDataWarehouse implements Warehouse {
  readonly dialect = 'redshift' as const;
  private readonly runner: RedshiftStatementRunner;

  constructor(
    private readonly target: RedshiftTarget,
    private readonly client: DataApiClient,
    private readonly options: RedshiftDataWarehouseOptions = {},
  ) {
    const { copyRegion: _copyRegion, ...polling } = options;
    this.runner = new RedshiftStatementRunner(
      client,
      redshiftStatementTarget(target),
      {
        ...DEFAULT_POLLING,
        ...definedOnly(polling),
        timeoutMs: target.statementTimeoutMs,
      },
      `warehouse target ${target.name} (Redshift Data API${target.endpoint ? ` at ${target.endpoint}` : ''})`,
    );
  }

  async execute(sql: string, params: readonly unknown[] = [], options: StatementOptions = {}): Promise<ExecuteResult> {
    const bound = bindDataApiParameters(sql, params);
    const described = await this.runner.execute(bound.sql, bound.parameters, options.signal);
    return { rowCount: rowCount(described.ResultRows) };
  }

  async query<Row = Record<string, unknown>>(sql: string, params: readonly unknown[] = [], options: StatementOptions = {}): Promise<Row[]> {
    const bound = bindDataApiParameters(sql, params);
    const described = await this.runner.execute(bound.sql, bound.parameters, options.signal);
    // GetStatementResult refuses statements without a result set (DDL, DML).
    if (!described.HasResultSet) return [];
    const { columns, records } = await this.runner.records(described.Id!, options.signal);
    return decodeRecords(columns, records) as Row[];
  }

  async queryTable(sql: string, params: readonly unknown[] = [], options: StatementOptions = {}): Promise<TableResult> {
    const bound = bindDataApiParameters(sql, params);
    const described = await this.runner.execute(bound.sql, bound.parameters, options.signal);
    if (!described.HasResultSet) return { columns: [], rows: [], rowCount: rowCount(described.ResultRows) };
    const { columns, records } = await this.runner.records(described.Id!, options.signal);
    return { ...decodeTable(columns, records), rowCount: records.length };
  }

  async transaction(statements: readonly Statement[], options: StatementOptions = {}): Promise<ExecuteResult[]> {
    if (statements.length === 0) return [];
    checkBatchSize(statements.length);
    const sqls = statements.map((statement) => inlineRedshiftValues(statement.sql, statement.params));
    const described = await this.runner.batch(sqls, options.signal);
    return subStatementRowCounts(described, statements.length);
  }

  async loadBatch(request: BatchLoadRequest, options: StatementOptions = {}): Promise<{ rows: number }> {
    const tableId = `${request.schema}.${request.table}`;
    const context = { table: tableId, batch: request.batchId, key: request.manifestKey };
    let steps: LoadStep[];
    let afterLoad: string[];
    try {
      steps = loadBatchSteps(request, { iamRole: this.iamRole(), region: this.options.copyRegion ?? this.target.copyRegion });
      afterLoad = request.afterLoad.map((statement) => inlineRedshiftValues(statement.sql, statement.params));
      checkBatchSize(steps.length + afterLoad.length);
    } catch (error) {
      if (error instanceof ConfigError) throw error;
      throw new LoadError(`${tableId}: batch ${request.batchId} cannot be loaded: ${errorMessage(error)}`, context, { cause: error });
    }
    const labels = [...steps.map((step) => step.label), ...afterLoad.map((_, index) => `after-load statement ${index + 1}`)];
    try {
      // The runner sends the whole batch again after ERROR 1023 (it rolled back, so nothing of it stands).
      await this.runner.batch([...steps.map((step) => step.sql), ...afterLoad], options.signal);
    } catch (error) {
      if (error instanceof CancelledError) throw error;
      if (error instanceof RedshiftStatementError) {
        const { step, hint } = await this.failedStep(error, steps, labels, request, options.signal);
        throw new LoadError(
          `${tableId}: batch ${request.batchId} was not loaded and nothing changed; it failed${step}: ${error.message}${hint}`,
          { ...context, statementId: error.statementId },
          { cause: error },
        );
      }
      throw new LoadError(
        `${tableId}: batch ${request.batchId} was not loaded: ${errorMessage(error)}`,
        { ...context, statementId: (error as WarehouseError).context?.statementId },
        { cause: error },
      );
    }
    // The count check inside the committed transaction proved the table holds exactly this many.
    return { rows: request.expectedRows };
  }

  async loadScratchTable(request: ScratchTableRequest, options: StatementOptions = {}): Promise<void> {
    const tableId = `${request.schema}.${request.table}`;
    let steps: LoadStep[];
    try {
      steps = scratchTableSteps(request, { iamRole: this.iamRole(), region: this.options.copyRegion ?? this.target.copyRegion });
    } catch (error) {
      if (error instanceof ConfigError) throw error;
      throw new LoadError(`${tableId}: cannot be loaded: ${errorMessage(error)}`, { table: tableId, key: request.manifestKey }, { cause: error });
    }
    try {
      await this.runner.batch(
        steps.map((step) => step.sql),
        options.signal,
      );
    } catch (error) {
      if (error instanceof CancelledError) throw error;
      const { step, hint } = await this.failedStep(
        error,
        steps,
        steps.map((one) => one.label),
        request,
        options.signal,
      );
      throw new LoadError(
        `${tableId}: loading s3://${request.bucket}/${request.manifestKey} failed${step}: ${errorMessage(error)}${hint}`,
        {
          table: tableId,
          key: request.manifestKey,
        },
        { cause: error },
      );
    }
  }

  async describeTable(schema: string, table: string): Promise<WarehouseColumn[] | undefined> {
    const rows = await this.query<{ name: string; type: string }>(DESCRIBE_TABLE_SQL, [schema, table]);
    return rows.length > 0 ? rows : undefined;
  }

  /**
   * SVV_REDSHIFT_COLUMNS' encoding, distkey and sortkey per column, read only when a schema change
   * needs them (https://docs.aws.amazon.com/redshift/latest/dg/r_SVV_REDSHIFT_COLUMNS.html). Best
   * effort: when the view cannot be read the map is empty and Redshift's own refusal stands.
   */
  async describeColumnStorage(schema: string, table: string): Promise<ReadonlyMap<string, ColumnStorage>> {
    try {
      const rows = await this.query<{ name: string; encoding: string | null; distkey: boolean | null; sortkey: number | null }>(COLUMN_STORAGE_SQL, [
        schema,
        table,
      ]);
      return new Map(
        rows.map((row) => [
          row.name,
          { encoding: row.encoding?.trim().toLowerCase() || undefined, distKey: row.distkey === true, sortKey: Number(row.sortkey ?? 0) },
        ]),
      );
    } catch {
      return new Map();
    }
  }

  async close(): Promise<void> {
    this.client.destroy?.();
  }

  private iamRole(): string {
    if (!this.target.iamRole) {
      throw new ConfigError(
        `target ${this.target.name}: loading into Redshift needs iam_role (or PGSHIFT_REDSHIFT_IAM_ROLE): the role the cluster assumes to read the staging bucket`,
        { target: this.target.name },
      );
    }
    return this.target.iamRole;
  }

  /**
   * Which step of a failed load batch failed (` at step 3 (copy from S3)`), its hint, and for a
   * failed COPY what SYS_LOAD_ERROR_DETAIL says about it.
   */
  private async failedStep(
    error: unknown,
    steps: readonly LoadStep[],
    labels: readonly string[],
    request: Pick<BatchLoadRequest, 'bucket' | 'manifestKey' | 'schema' | 'table'>,
    signal?: AbortSignal,
  ): Promise<{ step: string; hint: string }> {
    const failed = error instanceof RedshiftStatementError ? error.failedIndex : undefined;
    if (failed === undefined) return { step: '', hint: '' };
    let hint = steps[failed]?.hint ? `\n  hint: ${steps[failed]!.hint}` : '';
    if (steps[failed]?.label === 'copy from S3') hint += await this.loadErrorDetail(request, signal);
    return { step: ` at step ${failed + 1} (${labels[failed]})`, hint };
  }

  /**
   * What SYS_LOAD_ERROR_DETAIL says about the batch's failed COPY (the row for its files, newest
   * first), as extra lines for the error; '' when it says nothing or cannot be read. Best effort:
   * the COPY's own error is the one that counts.
   */
  private async loadErrorDetail(request: Pick<BatchLoadRequest, 'bucket' | 'manifestKey' | 'schema' | 'table'>, signal?: AbortSignal): Promise<string> {
    const prefix = `s3://${request.bucket}/${request.manifestKey.replace(/[^/]*$/, '')}`;
    try {
      const rows = await this.query<LoadErrorRow>(LOAD_ERROR_SQL, [prefix], { signal });
      return describeLoadErrors(`${request.schema}.${request.table}`, rows);
    } catch {
      return '';
    }
  }
}

/** A warehouse on a RedshiftDataClient for the target's cluster or workgroup. */
export function openRedshiftWarehouse(target: RedshiftTarget, options: RedshiftDataWarehouseOptions = {}): RedshiftDataWarehouse {
  return new RedshiftDataWarehouse(target, getRedshiftConn(target), options);
}

function checkBatchSize(count: number): void {
  if (count > MAX_BATCH_STATEMENTS) {
    throw new WarehouseError(`a Redshift transaction holds at most ${MAX_BATCH_STATEMENTS} statements (BatchExecuteStatement's limit); got ${count}`, {
      statements: count,
    });
  }
}

function rowCount(resultRows: number | undefined): number {
  return resultRows !== undefined && resultRows >= 0 ? resultRows : -1;
}

function subStatementRowCounts(described: DescribeStatementResponse, count: number): ExecuteResult[] {
  const subStatements = described.SubStatements ?? [];
  return Array.from({ length: count }, (_, index) => ({ rowCount: rowCount(subStatements[index]?.ResultRows) }));
}

function definedOnly<T extends object>(options: T): Partial<T> {
  return Object.fromEntries(Object.entries(options).filter(([, value]) => value !== undefined)) as Partial<T>;
}
