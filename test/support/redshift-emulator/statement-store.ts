// Every statement the emulator has accepted, with its status history and results, and the JSON
// shapes DescribeStatement and ListStatements return for them.

import { randomUUID } from 'node:crypto';
import { ApiError, validation } from './api-error.js';
import type { SqlParameter } from './bind-parameters.js';
import type { ColumnMetadata, Field } from './result-encoding.js';

export type StatementStatus = 'SUBMITTED' | 'PICKED' | 'STARTED' | 'FINISHED' | 'FAILED' | 'ABORTED';

export interface StatementResult {
  columns: ColumnMetadata[];
  records: Field[][];
}

/** One SQL text that runs: the statement itself, or one member of a batch. */
export interface StatementPart {
  id: string;
  sql: string;
  status: StatementStatus;
  createdAt: number;
  updatedAt: number;
  /** process.hrtime.bigint() when it started, for Duration in nanoseconds. */
  startedAt?: bigint;
  durationNs?: number;
  error?: string;
  hasResultSet: boolean;
  resultRows: number;
  resultSize: number;
  redshiftQueryId: number;
  result?: StatementResult;
}

export interface StatementRequest {
  database?: string;
  clusterIdentifier?: string;
  workgroupName?: string;
  dbUser?: string;
  secretArn?: string;
  statementName?: string;
  parameters?: SqlParameter[];
  clientToken?: string;
}

export interface Statement extends StatementPart {
  isBatch: boolean;
  request: StatementRequest;
  /** One part for ExecuteStatement; the members, in order, for BatchExecuteStatement. */
  parts: StatementPart[];
  redshiftPid?: number;
  cancelRequested: boolean;
}

const ID_PATTERN = /^[a-z0-9]{8}(-[a-z0-9]{4}){3}-[a-z0-9]{12}(:\d+)?$/;
const TERMINAL = new Set<StatementStatus>(['FINISHED', 'FAILED', 'ABORTED']);

export function isTerminal(status: StatementStatus): boolean {
  return TERMINAL.has(status);
}

export class StatementStore {
  private readonly statements = new Map<string, Statement>();
  private readonly byClientToken = new Map<string, string>();

  create(sqls: readonly string[], isBatch: boolean, request: StatementRequest): Statement {
    const id = randomUUID();
    const now = Date.now();
    const part = (partId: string, sql: string): StatementPart => ({
      id: partId,
      sql,
      status: 'SUBMITTED',
      createdAt: now,
      updatedAt: now,
      hasResultSet: false,
      resultRows: -1,
      resultSize: -1,
      redshiftQueryId: 0,
    });
    const statement: Statement = {
      ...part(id, sqls.join(';\n')),
      isBatch,
      request,
      parts: isBatch ? sqls.map((sql, index) => part(`${id}:${index + 1}`, sql)) : [],
      cancelRequested: false,
    };
    if (!isBatch) statement.parts.push(statement);
    this.statements.set(id, statement);
    if (request.clientToken) this.byClientToken.set(request.clientToken, id);
    return statement;
  }

  /** The statement an earlier request with this ClientToken created, for idempotent retries. */
  byToken(clientToken: string | undefined): Statement | undefined {
    const id = clientToken ? this.byClientToken.get(clientToken) : undefined;
    return id ? this.statements.get(id) : undefined;
  }

  all(): readonly Statement[] {
    return [...this.statements.values()];
  }

  /** Finds `<uuid>` or `<uuid>:N` (a batch member); API errors like the real service's. */
  find(id: unknown): { statement: Statement; part?: StatementPart } {
    if (typeof id !== 'string' || !ID_PATTERN.test(id)) {
      throw validation(
        `1 validation error detected: Value '${String(id)}' at 'id' failed to satisfy constraint: Member must satisfy regular expression pattern: ${ID_PATTERN.source}`,
      );
    }
    const [baseId, suffix] = id.split(':');
    const statement = this.statements.get(baseId!);
    if (!statement) throw new ApiError('ResourceNotFoundException', 'Query does not exist.', { ResourceId: id });
    if (suffix === undefined) return { statement };
    const part = statement.isBatch ? statement.parts[Number(suffix) - 1] : undefined;
    if (!part) throw new ApiError('ResourceNotFoundException', 'Query does not exist.', { ResourceId: id });
    return { statement, part };
  }
}

export function setStatus(part: StatementPart, status: StatementStatus): void {
  part.status = status;
  part.updatedAt = Date.now();
  if (status === 'STARTED') part.startedAt = process.hrtime.bigint();
  if (status === 'FINISHED' && part.startedAt !== undefined) part.durationNs = Number(process.hrtime.bigint() - part.startedAt);
}

const seconds = (ms: number): number => ms / 1000;

function partShape(part: StatementPart): Record<string, unknown> {
  const finished = part.status === 'FINISHED';
  return {
    Id: part.id,
    Status: part.status,
    QueryString: part.sql,
    CreatedAt: seconds(part.createdAt),
    UpdatedAt: seconds(part.updatedAt),
    // Until a statement finishes (and when it fails) the service reports -1 for these.
    Duration: finished ? (part.durationNs ?? 0) : -1,
    ResultRows: finished ? part.resultRows : -1,
    ResultSize: finished ? part.resultSize : -1,
    HasResultSet: finished && part.hasResultSet,
    RedshiftQueryId: part.redshiftQueryId,
    ...(part.error !== undefined ? { Error: part.error } : {}),
  };
}

export function describeShape(statement: Statement, part?: StatementPart): Record<string, unknown> {
  const { request } = statement;
  const common = {
    ...(request.database !== undefined ? { Database: request.database } : {}),
    ...(request.clusterIdentifier !== undefined ? { ClusterIdentifier: request.clusterIdentifier } : {}),
    ...(request.workgroupName !== undefined ? { WorkgroupName: request.workgroupName } : {}),
    ...(request.dbUser !== undefined ? { DbUser: request.dbUser } : {}),
    ...(request.secretArn !== undefined ? { SecretArn: request.secretArn } : {}),
    ...(request.parameters?.length ? { QueryParameters: request.parameters } : {}),
    RedshiftPid: statement.redshiftPid ?? 0,
  };
  if (part) return { ...common, ...partShape(part) };
  if (!statement.isBatch) return { ...common, ...partShape(statement) };
  const shape = partShape(statement);
  delete shape.QueryString;
  return { ...common, ...shape, SubStatements: statement.parts.map(partShape) };
}

export function listShape(statement: Statement): Record<string, unknown> {
  return {
    Id: statement.id,
    Status: statement.status,
    CreatedAt: seconds(statement.createdAt),
    UpdatedAt: seconds(statement.updatedAt),
    IsBatchStatement: statement.isBatch,
    ...(statement.isBatch ? { QueryStrings: statement.parts.map((part) => part.sql) } : { QueryString: statement.sql }),
    ...(statement.request.statementName !== undefined ? { StatementName: statement.request.statementName } : {}),
    ...(statement.request.secretArn !== undefined ? { SecretArn: statement.request.secretArn } : {}),
    ...(statement.request.parameters?.length ? { QueryParameters: statement.request.parameters } : {}),
  };
}
