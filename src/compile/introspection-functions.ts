// dbt's calls into the warehouse from a template: run_query(), {% call statement(...) %} with
// load_result(), adapter.get_relation() and adapter.get_columns_in_relation(). While the
// project compiles they answer none / empty without I/O, as dbt does while `execute` is false;
// in a render to run they read the answers the runner fetched (manifest/introspection.ts), and
// stop the render with NeedsIntrospection for one they lack.
// https://docs.getdbt.com/reference/dbt-jinja-functions/run_query
// https://docs.getdbt.com/reference/dbt-jinja-functions/statement-blocks
// https://docs.getdbt.com/reference/dbt-jinja-functions/adapter

import { CompileError } from '../errors.js';
import { type IntrospectionAnswer, type IntrospectionFacts, type IntrospectionRequest, NeedsIntrospection, requestKey } from '../manifest/introspection.js';
import { quoteIdent } from '../sql/quote-ident.js';
import { isRecord } from '../util/zod-issue.js';
import { agateTable, loadedResult } from './agate-table.js';
import type { Environment } from './nunjucks-env.js';
import { FixedRelation } from './relation.js';

/** One render to run: the statements it has stored, and the request it stopped at. */
export interface IntrospectionSession {
  readonly statements: Map<string, Record<string, unknown>>;
  pending?: IntrospectionRequest;
}

export function newIntrospectionSession(): IntrospectionSession {
  return { statements: new Map() };
}

export interface IntrospectionHost {
  /** Absent while compiling. */
  facts(): IntrospectionFacts | undefined;
  /** The current render's session; absent while compiling. */
  session(): IntrospectionSession | undefined;
  /** Relation tokens in rendered SQL replaced by quoted names. */
  resolveSql(sql: string): string;
}

/** A relation found in the warehouse, with the kind dbt's Relation.type names. */
export class IntrospectedRelation extends FixedRelation {
  constructor(
    schema: string,
    identifier: string,
    readonly type: 'table' | 'view' | 'materialized_view',
    databaseOf: () => string | null,
  ) {
    super(schema, identifier, databaseOf);
  }
  get is_table(): boolean {
    return this.type === 'table';
  }
  get is_view(): boolean {
    return this.type === 'view';
  }
}

/** dbt's Column: name (= column), quoted, data_type (with size), dtype (without), char_size. */
export interface TemplateColumn {
  readonly name: string;
  readonly column: string;
  readonly quoted: string;
  readonly data_type: string;
  readonly dtype: string;
  readonly char_size: number | null;
}

export const INTROSPECTION_NAMES = ['run_query', 'statement', 'load_result'] as const;

export function installIntrospection(env: Environment, host: IntrospectionHost): void {
  const globals = (env as unknown as { globals: Record<string, unknown> }).globals;
  const ask = (request: IntrospectionRequest): IntrospectionAnswer | undefined => {
    const facts = host.facts();
    const session = host.session();
    if (!facts || !session) return undefined;
    const answer = facts.answers.get(requestKey(request));
    if (answer) return answer;
    session.pending = request;
    throw new NeedsIntrospection(request);
  };
  const query = (sql: string) => {
    const answer = ask({ kind: 'query', sql: host.resolveSql(sql).trim() });
    return answer?.kind === 'query' ? answer : undefined;
  };

  globals.run_query = (sql: unknown) => {
    if (typeof sql !== 'string' && !isSafeString(sql)) throw new CompileError('run_query() takes the SQL to run, as in run_query("select 1")');
    const answer = query(String(sql));
    return answer ? agateTable(answer.table) : null;
  };

  globals.statement = (...args: unknown[]) => {
    const { positional, keywords } = splitArguments(args);
    const name = positional[0] ?? keywords.name;
    const caller = keywords.caller;
    if (typeof caller !== 'function')
      throw new CompileError(`statement() is a call block: {% call statement('name', fetch_result=true) %} select … {% endcall %}`);
    if (!host.facts()) return '';
    const answer = query(String(caller()));
    if (answer && name !== undefined && name !== null) host.session()!.statements.set(String(name), loadedResult(answer.table, answer.rowsAffected));
    return '';
  };

  globals.load_result = (name: unknown) => host.session()?.statements.get(String(name)) ?? null;

  const adapter = globals.adapter as Record<string, unknown>;
  adapter.get_relation = (...args: unknown[]) => {
    const { positional, keywords } = splitArguments(args);
    const [, schema = keywords.schema, identifier = keywords.identifier] = positional;
    if (typeof schema !== 'string' || typeof identifier !== 'string') {
      throw new CompileError(
        `adapter.get_relation() takes database, schema and identifier, as in adapter.get_relation(database=none, schema='analytics', identifier='orders')`,
      );
    }
    const answer = ask({ kind: 'relation', schema, identifier });
    return answer?.kind === 'relation' && answer.type
      ? new IntrospectedRelation(schema, identifier, answer.type, () => (globals.target as { database: string | null }).database)
      : null;
  };
  adapter.get_columns_in_relation = (relation: unknown) => {
    const parts = relationParts(relation);
    const answer = ask({ kind: 'columns', ...parts });
    return answer?.kind === 'columns' ? answer.columns.map((column) => templateColumn(column.name, column.type)) : [];
  };
}

function relationParts(relation: unknown): { schema: string; identifier: string } {
  const value = relation as { schema?: unknown; identifier?: unknown } | null | undefined;
  if (value && typeof value.identifier === 'string' && value.schema === null) {
    throw new CompileError(
      `adapter.get_columns_in_relation(): ${value.identifier.replace(/^__pgshift_eph__/, '')} is ephemeral and has no relation to read columns from`,
    );
  }
  if (!value || typeof value.schema !== 'string' || typeof value.identifier !== 'string') {
    throw new CompileError(`adapter.get_columns_in_relation() takes a relation, as in adapter.get_columns_in_relation(ref('stg_orders'))`);
  }
  return { schema: value.schema, identifier: value.identifier };
}

export function templateColumn(name: string, type: string): TemplateColumn {
  const size = /^(?:character varying|character|varchar|char|bpchar)\((\d+)\)$/.exec(type);
  return {
    name,
    column: name,
    quoted: quoteIdent(name),
    data_type: type,
    dtype: type.replace(/\(.*?\)/, '').trim(),
    char_size: size ? Number(size[1]) : null,
  };
}

function splitArguments(args: unknown[]): { positional: unknown[]; keywords: Record<string, unknown> } {
  const last = args[args.length - 1];
  if (isRecord(last) && '__keywords' in last) return { positional: args.slice(0, -1), keywords: last };
  return { positional: args, keywords: {} };
}

function isSafeString(value: unknown): boolean {
  return typeof value === 'object' && value !== null && typeof (value as { val?: unknown }).val === 'string';
}
