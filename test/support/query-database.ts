// Runs one SQL text on a database by URL, on a connection of its own, and returns the rows of
// its (last) result: for tests that set up or inspect a source or warehouse from outside.

import pg from 'pg';

export async function queryDatabase<Row = Record<string, unknown>>(url: string, sql: string): Promise<Row[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result = (await client.query(sql)) as unknown as pg.QueryResult | pg.QueryResult[];
    return (Array.isArray(result) ? (result.at(-1)?.rows ?? []) : result.rows) as Row[];
  } finally {
    await client.end();
  }
}
