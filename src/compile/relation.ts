// Relations as templates see them: `{{ ref('x') }}` renders `"schema"."alias"`, and
// `.schema` / `.identifier` / `.name` read the parts. A model's final schema and alias are
// only known once every config() has run, so model relations render a placeholder token that
// compilation swaps for the quoted name at the end.

import { quoteQualified } from '../sql/quote-ident.js';
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
  ) {}
  get name(): string {
    return this.identifier;
  }
  get database(): string | null {
    return this.databaseOf();
  }
  render(): string {
    const database = this.withDatabase ? this.database : null;
    return database ? quoteQualified(database, this.schema, this.identifier) : quoteQualified(this.schema, this.identifier);
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
    return relationToken(this.uniqueId);
  }
  toString(): string {
    return relationToken(this.uniqueId);
  }
}

export function relationToken(uniqueId: string): string {
  return `${MARK}${uniqueId}${MARK}`;
}

/** Replaces every token with `resolve(uniqueId)`. */
export function resolveRelationTokens(sql: string, resolve: (uniqueId: string) => string): string {
  return sql.includes(MARK) ? sql.replace(TOKEN, (_, uniqueId: string) => resolve(uniqueId)) : sql;
}

export const EPHEMERAL_PREFIX = '__pgshift_eph__';

export function ephemeralCteName(modelName: string): string {
  return `${EPHEMERAL_PREFIX}${modelName}`;
}
