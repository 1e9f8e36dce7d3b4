// What a node may ask the warehouse while it renders at run time (dbt's run_query, statement
// blocks, adapter.get_relation, adapter.get_columns_in_relation), and the answers. Rendering is
// synchronous and the warehouse is not: a render that needs an answer it does not have stops
// with NeedsIntrospection, the runner fetches the answer and renders again (see
// render-with-introspection.ts), so compile/ stays free of I/O.

/** A query result in column order, as an agate table holds it. */
export interface QueryTable {
  readonly columns: readonly string[];
  readonly rows: readonly (readonly unknown[])[];
}

export interface IntrospectedColumn {
  readonly name: string;
  /** format_type() text, e.g. `character varying(80)`, `numeric(12,2)`. */
  readonly type: string;
}

export type IntrospectionRequest =
  | { readonly kind: 'query'; readonly sql: string }
  | { readonly kind: 'relation'; readonly schema: string; readonly identifier: string }
  | { readonly kind: 'columns'; readonly schema: string; readonly identifier: string };

export type IntrospectionAnswer =
  | { readonly kind: 'query'; readonly table: QueryTable; readonly rowsAffected: number }
  /** `type` is absent when no such relation exists. */
  | { readonly kind: 'relation'; readonly type?: 'table' | 'view' | 'materialized_view' }
  | { readonly kind: 'columns'; readonly columns: readonly IntrospectedColumn[] };

/** The answers a node's renders have collected so far; present only when it renders to run. */
export interface IntrospectionFacts {
  readonly answers: ReadonlyMap<string, IntrospectionAnswer>;
}

/** The cache key of a request: the same question asked twice is answered once. */
export function requestKey(request: IntrospectionRequest): string {
  return JSON.stringify(request);
}

/** Thrown out of a render that needs an answer it has not got; never reaches the user. */
export class NeedsIntrospection extends Error {
  override readonly name = 'NeedsIntrospection';
  constructor(readonly request: IntrospectionRequest) {
    super(`rendering needs the warehouse: ${request.kind}`);
  }
}
