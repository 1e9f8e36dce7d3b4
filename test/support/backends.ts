// What the PostgreSQL server behind a test is doing right now, to check that a cancel really
// stopped a query instead of timing how long the cancel took.

import pg from 'pg';

/** Sessions of `databaseUrl`'s database still running a `pg_sleep` query. */
export async function sleepingBackends(databaseUrl: string): Promise<number> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ count: string }>(
      `select count(*) from pg_stat_activity
        where datname = current_database() and pid <> pg_backend_pid() and state = 'active' and query ilike '%pg_sleep(%'`,
    );
    return Number(rows[0]!.count);
  } finally {
    await client.end();
  }
}
