// The production warehouse: Amazon Redshift through the Redshift Data API. Every statement is
// submitted, polled to a final status and cancelled server-side on abort or timeout; a batch
// load is one BatchExecuteStatement transaction (delete or swap, COPY from S3, count check).

import type { DescribeStatementResponse } from '@aws-sdk/client-redshift-data';
import type { RedshiftTarget } from '../config/target.js';
import { getRedshiftConn, redshiftStatementTarget } from '../connections.js';
import { CancelledError, ConfigError, errorMessage, LoadError, WarehouseError } from '../errors.js';
import { bindDataApiParameters, type BoundStatement } from './redshift-parameters.js';
import { decodeRecords } from './redshift-result-decoding.js';
import { assertProcedureStatements, LOAD_HELPER_SCHEMA, type LoadStep, loadBatchSteps } from './redshift-load-batch-sql.js';
import {
  type DataApiClient,
  DEFAULT_POLLING,
  type PollingOptions,
  RedshiftStatementError,
  RedshiftStatementRunner,
} from './redshift-statement-runner.js';
import { DESCRIBE_TABLE_SQL } from './catalog-queries.js';
import type { BatchLoadRequest, ExecuteResult, Statement, StatementOptions, Warehouse, WarehouseColumn } from './warehouse.js';

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
  private loadHelpers: Promise<void> | undefined;

  constructor(
    private readonly target: RedshiftTarget,
    private readonly client: DataApiClient,
    private readonly options: RedshiftDataWarehouseOptions = {},
  ) {
    const { copyRegion: _copyRegion, ...polling } = options;
    this.runner = new RedshiftStatementRunner(client, redshiftStatementTarget(target), {
      ...DEFAULT_POLLING,
      ...definedOnly(polling),
      timeoutMs: target.statementTimeoutMs,
    });
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

  async transaction(statements: readonly Statement[], options: StatementOptions = {}): Promise<ExecuteResult[]> {
    if (statements.length === 0) return [];
    checkBatchSize(statements.length);
    const bound = statements.map((statement, index) => bindDataApiParameters(statement.sql, statement.params, batchPrefix(index)));
    const described = await this.runner.batch(
      bound.map((statement) => statement.sql),
      bound.flatMap((statement) => statement.parameters),
      options.signal,
    );
    return subStatementRowCounts(described, statements.length);
  }

  async loadBatch(request: BatchLoadRequest, options: StatementOptions = {}): Promise<{ rows: number }> {
    const tableId = `${request.schema}.${request.table}`;
    const context = { table: tableId, batch: request.batchId, key: request.manifestKey };
    let steps: LoadStep[];
    let afterLoad: BoundStatement[];
    try {
      steps = loadBatchSteps(request, { iamRole: this.iamRole(), region: this.options.copyRegion });
      afterLoad = request.afterLoad.map((statement, index) => bindDataApiParameters(statement.sql, statement.params, batchPrefix(steps.length + index)));
      checkBatchSize(steps.length + afterLoad.length);
    } catch (error) {
      if (error instanceof ConfigError) throw error;
      throw new LoadError(`${tableId}: batch ${request.batchId} cannot be loaded: ${errorMessage(error)}`, context, { cause: error });
    }
    try {
      await this.ensureLoadHelpers();
    } catch (error) {
      if (error instanceof CancelledError) throw error;
      throw new LoadError(`${tableId}: batch ${request.batchId} was not loaded: creating ${LOAD_HELPER_SCHEMA}.assert_loaded_rows failed: ${errorMessage(error)}`, context, { cause: error });
    }
    const labels = [...steps.map((step) => step.label), ...afterLoad.map((_, index) => `after-load statement ${index + 1}`)];
    try {
      await this.runner.batch(
        [...steps.map((step) => step.sql), ...afterLoad.map((statement) => statement.sql)],
        afterLoad.flatMap((statement) => statement.parameters),
        options.signal,
      );
    } catch (error) {
      if (error instanceof CancelledError) throw error;
      if (error instanceof RedshiftStatementError) {
        const failed = error.failedIndex;
        const step = failed === undefined ? '' : ` at step ${failed + 1} (${labels[failed]})`;
        const hint = failed !== undefined && steps[failed]?.hint ? `\n  hint: ${steps[failed]!.hint}` : '';
        throw new LoadError(`${tableId}: batch ${request.batchId} was not loaded and nothing changed; it failed${step}: ${error.message}${hint}`, { ...context, statementId: error.statementId }, { cause: error });
      }
      throw new LoadError(`${tableId}: batch ${request.batchId} was not loaded: ${errorMessage(error)}`, { ...context, statementId: (error as WarehouseError).context?.statementId }, { cause: error });
    }
    // The count check inside the committed transaction proved the table holds exactly this many.
    return { rows: request.expectedRows };
  }

  async describeTable(schema: string, table: string): Promise<WarehouseColumn[] | undefined> {
    const rows = await this.query<{ name: string; type: string }>(DESCRIBE_TABLE_SQL, [schema, table]);
    return rows.length > 0 ? rows : undefined;
  }

  async close(): Promise<void> {
    this.client.destroy?.();
  }

  private iamRole(): string {
    if (!this.target.iamRole) {
      throw new ConfigError(`target ${this.target.name}: loading into Redshift needs iam_role (or PGSHIFT_REDSHIFT_IAM_ROLE): the role the cluster assumes to read the staging bucket`, { target: this.target.name });
    }
    return this.target.iamRole;
  }

  /** Creates the count-check procedure once per warehouse; a failed attempt is retried next load. */
  private ensureLoadHelpers(): Promise<void> {
    // No caller's signal: concurrent loads share this one statement, and it is quick.
    this.loadHelpers ??= this.runner.batch(assertProcedureStatements(), []).then(
      () => undefined,
      (error: unknown) => {
        this.loadHelpers = undefined;
        throw error;
      },
    );
    return this.loadHelpers;
  }
}

/** A warehouse on a RedshiftDataClient for the target's cluster or workgroup. */
export function openRedshiftWarehouse(target: RedshiftTarget, options: RedshiftDataWarehouseOptions = {}): RedshiftDataWarehouse {
  return new RedshiftDataWarehouse(target, getRedshiftConn(target), options);
}

function batchPrefix(index: number): string {
  // Parameters are shared by every statement of a batch, so each statement gets its own names.
  return `s${index + 1}_p`;
}

function checkBatchSize(count: number): void {
  if (count > MAX_BATCH_STATEMENTS) {
    throw new WarehouseError(`a Redshift transaction holds at most ${MAX_BATCH_STATEMENTS} statements (BatchExecuteStatement's limit); got ${count}`, { statements: count });
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
