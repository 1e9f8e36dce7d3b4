// The Data API operations: validate the request as the service does, then act on the store and
// the runner. Each returns the JSON body of a successful response.

import { ApiError, validation } from './api-error.js';
import { bindParameters, MissingParameterError, type SqlParameter } from './bind-parameters.js';
import type { StatementRunner } from './statement-runner.js';
import { tokenize } from './sql-tokenizer.js';
import type { Throttle } from './throttle.js';
import { describeShape, isTerminal, listShape, type Statement, type StatementRequest, type StatementStore } from './statement-store.js';

export interface OperationContext {
  store: StatementStore;
  runner: StatementRunner;
  pageSize: number;
  strict: boolean;
  throttle: Throttle;
  /** Access key id of the caller's signature, which names the IAM database user. */
  accessKeyId?: string;
}

type Input = Record<string, unknown>;
export type Operation = (input: Input, context: OperationContext) => unknown;

const MAX_BATCH = 40;
// The Data API's limit on a query statement is 100 KB ("Considerations when calling the Amazon
// Redshift Data API", linked from https://docs.aws.amazon.com/redshift/latest/mgmt/data-api.html);
// users report the service's answer as ValidationException "Cannot process query string larger
// than 100kB". Whether a KB is 1,000 or 1,024 bytes is not said, so the strict emulator takes the
// smaller.
const MAX_STATEMENT_BYTES = 100_000;
const NO_RESULT = 'Query does not have result. Please check query status with DescribeStatement.';

export const operations: Record<string, Operation> = {
  ExecuteStatement(input, context) {
    const sql = requiredString(input, 'Sql');
    return submit([sql], false, input, context);
  },

  BatchExecuteStatement(input, context) {
    const sqls = input.Sqls;
    if (!Array.isArray(sqls) || sqls.length === 0 || sqls.length > MAX_BATCH || !sqls.every((sql) => typeof sql === 'string' && sql.length > 0)) {
      throw validation(`Sqls must hold between 1 and ${MAX_BATCH} non-empty SQL statements`);
    }
    return submit(sqls as string[], true, input, context);
  },

  DescribeStatement(input, context) {
    const { statement, part } = context.store.find(input.Id);
    const shape = describeShape(statement, part);
    if (!part) context.runner.described(statement);
    return shape;
  },

  GetStatementResult(input, context) {
    const { statement, part } = context.store.find(input.Id);
    const target = part ?? statement;
    if (statement.isBatch && !part)
      throw new ApiError('ResourceNotFoundException', `${NO_RESULT} A batch has results per sub-statement: ask for ${statement.id}:N.`, {
        ResourceId: statement.id,
      });
    if (target.status !== 'FINISHED' || !target.hasResultSet || !target.result) {
      throw new ApiError('ResourceNotFoundException', NO_RESULT, { ResourceId: target.id });
    }
    const offset = readToken(input.NextToken, target.id);
    const { records, columns } = target.result;
    const end = offset + context.pageSize;
    return {
      ColumnMetadata: columns,
      Records: records.slice(offset, end),
      TotalNumRows: records.length,
      ...(end < records.length ? { NextToken: writeToken(target.id, end) } : {}),
    };
  },

  CancelStatement(input, context) {
    const { statement, part } = context.store.find(input.Id);
    if (part) throw validation('CancelStatement takes the Id of the statement, not of one of its sub-statements');
    if (isTerminal(statement.status)) {
      throw validation(`Could not cancel a query that is already in ${statement.status} state.`);
    }
    // The service answers at once; the statement turns ABORTED when its query has stopped.
    context.runner.cancel(statement).catch(() => {});
    return { Status: true };
  },

  ListStatements(input, context) {
    const name = optionalString(input, 'StatementName');
    const status = optionalString(input, 'Status') ?? 'ALL';
    const maxResults = typeof input.MaxResults === 'number' ? Math.min(Math.max(input.MaxResults, 1), 100) : 100;
    const offset = readToken(input.NextToken, 'list');
    const matching = context.store
      .all()
      .filter((statement) => (name === undefined || statement.request.statementName?.startsWith(name)) && (status === 'ALL' || statement.status === status))
      .sort((a, b) => b.createdAt - a.createdAt);
    const end = offset + maxResults;
    return {
      Statements: matching.slice(offset, end).map(listShape),
      ...(end < matching.length ? { NextToken: writeToken('list', end) } : {}),
    };
  },
};

function submit(sqls: string[], isBatch: boolean, input: Input, context: OperationContext): unknown {
  const request = statementRequest(input, context);
  if (context.strict) {
    for (const sql of sqls) {
      if (Buffer.byteLength(sql) > MAX_STATEMENT_BYTES) throw validation('Cannot process query string larger than 100kB');
    }
    if (isBatch && request.parameters) checkBatchParameters(sqls, request.parameters);
  }
  // A placeholder without a value is refused up front, before anything runs.
  for (const sql of sqls) {
    try {
      bindParameters(sql, request.parameters);
    } catch (error) {
      if (error instanceof MissingParameterError) throw validation(`Parameter :${error.parameter} in the SQL has no value in Parameters`);
      throw error;
    }
  }
  const earlier = context.store.byToken(request.clientToken);
  const statement = earlier ?? context.store.create(sqls, isBatch, request);
  if (!earlier) context.runner.start(statement);
  return submitShape(statement);
}

/**
 * Parameters on BatchExecuteStatement. Older references list none; the current one says "The
 * parameters are available to all SQL statements in the batch … Each provided parameter must be
 * referenced by at least one SQL statement in the batch"
 * (https://docs.aws.amazon.com/redshift-data/latest/APIReference/API_BatchExecuteStatement.html).
 * Whether a `:name` inside a string literal, quoted name or comment is a placeholder is not
 * documented, so the strict emulator refuses a batch with Parameters whose SQL has one there
 * (an IAM role ARN literal has `:aws`, `:iam`, `:role`) rather than guess either way.
 */
function checkBatchParameters(sqls: readonly string[], parameters: readonly SqlParameter[]): void {
  const used = new Set<string>();
  for (const sql of sqls) {
    for (const token of tokenize(sql)) {
      if (token.kind === 'param') used.add(token.text.slice(1));
      else if (
        (token.kind === 'string' || token.kind === 'quoted-ident' || token.kind === 'comment' || token.kind === 'dollar-string') &&
        /:[A-Za-z_]/.test(token.text.replaceAll('::', ''))
      ) {
        throw validation(
          `Parameters were given, but the SQL has a :name inside ${token.kind === 'comment' ? 'a comment' : 'a literal'} (${token.text.slice(0, 60)}); whether the Data API binds it there is undocumented`,
        );
      }
    }
  }
  for (const parameter of parameters) {
    if (!used.has(parameter.name)) throw validation(`Parameter ${parameter.name} is not referenced by any SQL statement in the batch`);
  }
}

function submitShape(statement: Statement): unknown {
  const { request } = statement;
  return {
    Id: statement.id,
    CreatedAt: statement.createdAt / 1000,
    ...(request.database !== undefined ? { Database: request.database } : {}),
    ...(request.clusterIdentifier !== undefined ? { ClusterIdentifier: request.clusterIdentifier } : {}),
    ...(request.workgroupName !== undefined ? { WorkgroupName: request.workgroupName } : {}),
    ...(request.dbUser !== undefined ? { DbUser: request.dbUser } : {}),
    ...(request.secretArn !== undefined ? { SecretArn: request.secretArn } : {}),
  };
}

/**
 * Which warehouse and which credentials, checked as the service documents: a cluster
 * (ClusterIdentifier) or a Serverless workgroup (WorkgroupName), never both; Secrets Manager
 * (SecretArn) or temporary credentials (DbUser on a cluster, or the caller's IAM identity).
 */
function statementRequest(input: Input, context: OperationContext): StatementRequest {
  const clusterIdentifier = optionalString(input, 'ClusterIdentifier');
  const workgroupName = optionalString(input, 'WorkgroupName');
  const secretArn = optionalString(input, 'SecretArn');
  let dbUser = optionalString(input, 'DbUser');
  const database = optionalString(input, 'Database');
  if (input.SessionId !== undefined || input.SessionKeepAliveSeconds !== undefined) {
    throw validation('SessionId and SessionKeepAliveSeconds are not supported by the Redshift emulator');
  }
  if (clusterIdentifier === undefined && workgroupName === undefined) {
    throw validation('Either ClusterIdentifier or WorkgroupName must be specified.');
  }
  if (clusterIdentifier !== undefined && workgroupName !== undefined) {
    throw validation('ClusterIdentifier and WorkgroupName cannot both be specified.');
  }
  if (database === undefined) throw validation('Database must be specified.');
  if (secretArn !== undefined && dbUser !== undefined) throw validation('SecretArn and DbUser cannot both be specified.');
  if (workgroupName !== undefined && dbUser !== undefined) {
    throw validation('DbUser is not supported for a Serverless workgroup; its database user comes from the IAM identity.');
  }
  if (input.ResultFormat !== undefined && input.ResultFormat !== 'JSON') {
    throw validation(`ResultFormat ${String(input.ResultFormat)} is not supported by the Redshift emulator; use JSON`);
  }
  // Temporary credentials without DbUser: the database user is derived from the IAM identity.
  if (secretArn === undefined && dbUser === undefined) dbUser = `IAM:${context.accessKeyId ?? 'unknown'}`;
  return {
    database,
    clusterIdentifier,
    workgroupName,
    dbUser,
    secretArn,
    statementName: optionalString(input, 'StatementName'),
    parameters: parameters(input.Parameters),
    clientToken: optionalString(input, 'ClientToken'),
  };
}

function parameters(value: unknown): SqlParameter[] | undefined {
  if (value === undefined) return undefined;
  if (!Array.isArray(value)) throw validation('Parameters must be a list of {name, value}');
  return value.map((parameter: unknown) => {
    const { name, value: text } = (parameter ?? {}) as { name?: unknown; value?: unknown };
    if (typeof name !== 'string' || !/^[0-9a-zA-Z_]+$/.test(name)) {
      throw validation(`Parameter name ${JSON.stringify(name)} must match [0-9a-zA-Z_]+`);
    }
    if (typeof text !== 'string' || text.length === 0) throw validation(`Parameter ${name} needs a non-empty string value`);
    return { name, value: text };
  });
}

function requiredString(input: Input, key: string): string {
  const value = optionalString(input, key);
  if (value === undefined || value.length === 0) throw validation(`${key} must be specified.`);
  return value;
}

function optionalString(input: Input, key: string): string | undefined {
  const value = input[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw validation(`${key} must be a string`);
  return value;
}

// Page tokens are opaque to clients; these carry the owner and the next offset.
function writeToken(owner: string, offset: number): string {
  return Buffer.from(JSON.stringify({ owner, offset })).toString('base64url');
}

function readToken(token: unknown, owner: string): number {
  if (token === undefined || token === null) return 0;
  try {
    const parsed = JSON.parse(Buffer.from(String(token), 'base64url').toString()) as { owner?: unknown; offset?: unknown };
    if (parsed.owner === owner && typeof parsed.offset === 'number' && parsed.offset >= 0) return parsed.offset;
  } catch {
    // fall through to the error below
  }
  throw validation('Invalid NextToken');
}
