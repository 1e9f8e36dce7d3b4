// Runs one Redshift SQL text on a backing PostgreSQL connection: binds named parameters,
// hands COPY from S3 to the loader, translates everything else, and encodes the result.

import type { S3Client } from '@aws-sdk/client-s3';
import type pg from 'pg';
import { quoteIdent, quoteQualified } from '../../../src/sql/quote-ident.js';
import { bindParameters, type SqlParameter } from './bind-parameters.js';
import { isCopyFromS3 } from './copy-command.js';
import { copyFromS3 } from './copy-from-s3.js';
import { columnMetadata, encodeRecords, type ResultField } from './result-encoding.js';
import type { StatementResult } from './statement-store.js';
import { createLateBindingView, parseLateBindingView } from './late-binding-views.js';
import { alterTableDesign, createTableDesign, type DesignChange } from './physical-design.js';
import { checkDynamicSql, isCreateProcedure } from './procedure-bodies.js';
import { checkStatement, foldQuotedIdentifiers, tableGrant } from './strict-rules.js';
import { TokenCursor } from './token-cursor.js';
import { translateSql, type TranslatedStatement } from './translate-sql.js';
import type { TypeCatalog } from './type-catalog.js';

export interface PartOutcome {
  rows: number;
  result?: StatementResult;
  resultSize: number;
}

export interface ExecuteContext {
  client: pg.ClientBase;
  s3: S3Client;
  catalog: TypeCatalog;
  signal: AbortSignal;
  /** Refuse and behave as Redshift does (strict-rules.ts); off only where a test says so. */
  strict: boolean;
  /** True inside a BatchExecuteStatement's transaction. */
  inTransaction: boolean;
}

// Every value as PostgreSQL's text output: the Data API encoding is decided per type below.
const RAW_TEXT = { getTypeParser: () => (value: string) => value } as unknown as pg.CustomTypesConfig;

export async function executePart(sql: string, parameters: readonly SqlParameter[] | undefined, context: ExecuteContext): Promise<PartOutcome> {
  const bound = bindParameters(sql, parameters);
  let text = bound.text;
  let createsProcedure = false;
  let truncates = false;
  let createdRole: string | undefined;
  let designChange: DesignChange | undefined;
  if (context.strict) {
    text = foldQuotedIdentifiers(text);
    const cursor = new TokenCursor(text);
    checkStatement(cursor);
    createsProcedure = isCreateProcedure(cursor);
    if (createsProcedure) text = checkDynamicSql(text);
    truncates = cursor.keyword() === 'truncate';
    if (cursor.accept('create', 'role')) createdRole = cursor.readQualifiedName()?.[0];
    const grant = tableGrant(cursor, text);
    if (grant === 'noop') return { rows: 0, resultSize: 0 };
    if (grant !== undefined) text = grant;
    cursor.position = 0;
    designChange = cursor.keyword() === 'create' ? createTableDesign(cursor) : await alterTableDesign(cursor, context.client);
    const lateBinding = parseLateBindingView(cursor, text);
    if (lateBinding) {
      const query = translateSql(lateBinding.queryText);
      if (query.kind !== 'sql') throw new Error('a late-binding view needs a query');
      await createLateBindingView(context.client, { ...lateBinding, query: query.sql });
      return { rows: 0, resultSize: 0 };
    }
  }
  if (isCopyFromS3(text)) {
    return { rows: await copyFromS3(text, context), resultSize: 0 };
  }
  const translated = translateSql(text);
  switch (translated.kind) {
    case 'noop':
      await designChange?.(context.client);
      return { rows: 0, resultSize: 0 };
    case 'append':
      // "You can't run ALTER TABLE APPEND within a transaction block (BEGIN ... END)"; it commits
      // on completion and cannot roll back.
      // https://docs.aws.amazon.com/redshift/latest/dg/r_ALTER_TABLE_APPEND.html
      if (context.strict && context.inTransaction) throw new Error('ALTER TABLE APPEND cannot run inside a transaction block');
      return { rows: await appendTable(context.client, translated), resultSize: 0 };
    case 'sql': {
      // "TRUNCATE commits the transaction in which it is run": the work before it is committed
      // and cannot roll back, and so is the TRUNCATE itself.
      // https://docs.aws.amazon.com/redshift/latest/dg/r_TRUNCATE.html
      if (truncates && context.inTransaction) await context.client.query('commit');
      const outcome = await runQuery(translated.sql, bound.values, context);
      if (truncates && context.inTransaction) await context.client.query('begin');
      // "By default, EXECUTE privilege for new procedures is granted to the procedure owner and
      // superusers" — not to PUBLIC, as PostgreSQL does.
      // https://docs.aws.amazon.com/redshift/latest/dg/stored-procedure-security-and-privileges.html
      if (createsProcedure) await revokePublicExecute(context.client);
      await designChange?.(context.client);
      if (createdRole !== undefined) {
        await context.client.query(
          `insert into redshift_emulator.role_owners values ($1, current_user)
             on conflict (role_name) do update set owner_name = excluded.owner_name`,
          [createdRole],
        );
      }
      return outcome;
    }
  }
}

/** Takes PUBLIC's default EXECUTE off every procedure that still has default privileges. */
async function revokePublicExecute(client: pg.ClientBase): Promise<void> {
  await client.query(`do $revoke$
    declare procedure regprocedure;
    begin
      for procedure in select p.oid::regprocedure from pg_proc p
                        where p.prokind = 'p' and p.proacl is null and pg_has_role(p.proowner, 'USAGE') loop
        execute format('revoke execute on procedure %s from public', procedure);
      end loop;
    end $revoke$`);
}

async function runQuery(text: string, values: string[], context: ExecuteContext): Promise<PartOutcome> {
  // The extended protocol, like Redshift's Data API, runs exactly one statement per call.
  const config = { text, values, rowMode: 'array', types: RAW_TEXT, queryMode: 'extended' } as pg.QueryArrayConfig;
  const result = await context.client.query<(string | null)[]>(config);
  if (result.fields.length === 0) return { rows: result.rowCount ?? 0, resultSize: 0 };
  const fields: ResultField[] = result.fields;
  const typeName = await context.catalog.typeNames(
    context.client,
    fields.map((field) => field.dataTypeID),
  );
  const sources = await context.catalog.columnSources(context.client, fields);
  const pgTypes = fields.map((field) => typeName(field.dataTypeID));
  const records = encodeRecords(result.rows, pgTypes);
  return {
    rows: result.rows.length,
    result: { columns: columnMetadata(fields, typeName, sources, context.strict), records },
    resultSize: Buffer.byteLength(JSON.stringify(records)),
  };
}

async function appendTable(client: pg.ClientBase, append: Extract<TranslatedStatement, { kind: 'append' }>): Promise<number> {
  // ALTER TABLE APPEND matches columns by name: every source column must exist in the target;
  // IGNOREEXTRA drops source-only columns, FILLTARGET lets target-only columns take defaults.
  const target = await columnNames(client, append.target);
  const source = await columnNames(client, append.source);
  const extraInSource = source.filter((name) => !target.includes(name));
  const missingInSource = target.filter((name) => !source.includes(name));
  if (extraInSource.length > 0 && append.extra !== 'ignoreextra') {
    throw new Error(`Columns don't match: source has ${extraInSource.join(', ')} that the target table lacks; use IGNOREEXTRA`);
  }
  if (missingInSource.length > 0 && append.extra !== 'filltarget') {
    throw new Error(`Columns don't match: target has ${missingInSource.join(', ')} that the source table lacks; use FILLTARGET`);
  }
  const shared = source
    .filter((name) => target.includes(name))
    .map(quoteIdent)
    .join(', ');
  const targetName = quoteQualified(...append.target);
  const sourceName = quoteQualified(...append.source);
  // Two statements in one simple-protocol call run as one implicit transaction: all or nothing.
  const results = (await client.query(
    `insert into ${targetName} (${shared}) select ${shared} from ${sourceName}; truncate ${sourceName}`,
  )) as unknown as pg.QueryResult[];
  return results[0]?.rowCount ?? 0;
}

async function columnNames(client: pg.ClientBase, table: string[]): Promise<string[]> {
  const { rows } = await client.query<{ name: string }>(
    `select attname as name from pg_attribute
      where attrelid = $1::regclass and attnum > 0 and not attisdropped order by attnum`,
    [quoteQualified(...table)],
  );
  return rows.map((row) => row.name);
}
