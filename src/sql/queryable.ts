// The smallest surface pgshift needs from a PostgreSQL connection, so code that only queries
// can be handed a pg Pool, a pooled client, or a fake in a unit test.

export interface QueryResultLike<Row> {
  rows: Row[];
  rowCount: number | null;
}

export interface Queryable {
  // Rows default to loosely typed records, as node-postgres types them.
  // biome-ignore lint/suspicious/noExplicitAny: node-postgres's own default row type
  query<Row = Record<string, any>>(text: string, values?: unknown[]): Promise<QueryResultLike<Row>>;
}
