// Relations as templates see them: `{{ ref('x') }}` renders `"schema"."alias"`, and
// `.schema` / `.identifier` / `.name` read the parts. A model's final schema and alias are
// only known once every config() has run, so model relations render a placeholder token that
// compilation swaps for the quoted name at the end.

import { quoteIdent, quoteQualified } from '../sql/quote-ident.js';
export { defaultSchemaName, relationKey } from '../manifest/schema-naming.js';

/** Opens and closes a relation token; no SQL text contains it. */
export const RELATION_MARK = '\u001e';
const MARK = RELATION_MARK;
// biome-ignore lint/suspicious/noControlCharactersInRegex: the record separator is the marker on purpose: no SQL text contains it
const TOKEN = /\u001e([^\u001e]*)\u001e/g;

export interface RelationParts {
  readonly schema: string | null;
  readonly identifier: string;
}

/** A relation whose name is known now: sources, and everything at run time. */
export class FixedRelation {
  constructor(
    readonly schema: string,
    readonly identifier: string,
    /** The target's database, read when asked: relations render as schema.name, which is always the current database. */
    private readonly databaseOf: () => string | null = () => null,
    /** Render database.schema.name: a source in another database of the warehouse. */
    private readonly withDatabase = false,
    /** Rendered as no rows (--empty), as dbt's render_limited. */
    private readonly empty = false,
  ) {}
  get name(): string {
    return this.identifier;
  }
  get database(): string | null {
    return this.databaseOf();
  }
  render(): string {
    const database = this.withDatabase ? this.database : null;
    const quoted = database ? quoteQualified(database, this.schema, this.identifier) : quoteQualified(this.schema, this.identifier);
    // Under --empty a token too: whether the model aliases it is known only from the SQL after it.
    return this.empty ? relationToken(`${EMPTY_FIXED_PREFIX}${JSON.stringify([quoted, this.identifier])}`) : quoted;
  }
  toString(): string {
    return this.render();
  }
}

/** A model or seed relation; parts are read through `read` so compilation can notice reads that later change. */
export class DeferredRelation {
  constructor(
    readonly uniqueId: string,
    private readonly read: (uniqueId: string) => RelationParts,
    private readonly databaseOf: () => string | null = () => null,
    /** Rendered as no rows (--empty); `this` never is. */
    private readonly empty = false,
  ) {}
  get database(): string | null {
    return this.databaseOf();
  }
  get schema(): string | null {
    return this.read(this.uniqueId).schema;
  }
  get identifier(): string {
    return this.read(this.uniqueId).identifier;
  }
  get name(): string {
    return this.identifier;
  }
  render(): string {
    return relationToken(this.empty ? `${EMPTY_PREFIX}${this.uniqueId}` : this.uniqueId);
  }
  toString(): string {
    return this.render();
  }
}

/** Marks the token of a relation read under --empty: `<mark>empty:model.x<mark>`. */
export const EMPTY_PREFIX = 'empty:';
/** The same for a relation named as it is (a source): `<mark>empty-fixed:["\"raw\".\"orders\"","orders"]<mark>`. */
export const EMPTY_FIXED_PREFIX = 'empty-fixed:';

/**
 * dbt's --empty (https://docs.getdbt.com/docs/build/empty-flag): a ref() or source() read as
 * no rows with the relation's columns, `(select * from "s"."t" where false limit 0)`, with the
 * alias dbt's render_limited gives it (`_dbt_limit_subq_<table>`): PostgreSQL before 16 needs
 * one for a subquery in FROM; Redshift takes `( subquery ) [ table_alias ]` and `LIMIT number`
 * (https://docs.aws.amazon.com/redshift/latest/dg/r_FROM_clause30.html,
 * https://docs.aws.amazon.com/redshift/latest/dg/r_SELECT_synopsis.html). Where the model aliases the relation itself
 * (`from {{ ref('x') }} as o`, `… x o join …`), that alias is the subquery's: dbt would add its
 * own in front of it, which is a syntax error. `after` is the SQL that follows the relation.
 */
export function emptyRelationSql(quoted: string, identifier: string, after = ''): string {
  const subquery = `(select * from ${quoted} where false limit 0)`;
  return aliasFollows(after) ? subquery : `${subquery} ${quoteIdent(`_dbt_limit_subq_${identifier}`)}`;
}

// Words that may follow a relation in FROM without being its alias.
const NOT_AN_ALIAS = new Set(
  'where join inner left right full cross natural on using group order having limit offset union intersect except minus window qualify lateral for fetch returning into set then else end when and or not tablesample with'.split(
    ' ',
  ),
);

/** Whether `after` starts with an alias of the relation before it: `as x`, `x`, `"x"`. */
export function aliasFollows(after: string): boolean {
  const word = /^\s*("(?:[^"]|"")*"|[A-Za-z_][A-Za-z0-9_$]*)/.exec(after)?.[1];
  if (word === undefined) return false;
  return word.startsWith('"') || !NOT_AN_ALIAS.has(word.toLowerCase());
}

export function relationToken(uniqueId: string): string {
  return `${MARK}${uniqueId}${MARK}`;
}

/** Replaces every token with `resolve(uniqueId, after)`, `after` being the SQL text that follows the token. */
export function resolveRelationTokens(sql: string, resolve: (uniqueId: string, after: string) => string): string {
  return sql.includes(MARK)
    ? sql.replace(TOKEN, (match: string, uniqueId: string, offset: number) => resolve(uniqueId, sql.slice(offset + match.length)))
    : sql;
}

export const EPHEMERAL_PREFIX = '__pgshift_eph__';

export function ephemeralCteName(modelName: string): string {
  return `${EPHEMERAL_PREFIX}${modelName}`;
}
