// Runs a statement logged in as a given user of the test PostgreSQL (trust auth, or the
// password given), the way a member of a role would: how tests prove who may read what.

import pg from 'pg';

/** 'ok', or the SQLSTATE the statement was refused with (42501: permission denied). */
export async function queryAs(databaseUrl: string, user: string, sql: string, password?: string): Promise<string> {
  const url = new URL(databaseUrl);
  url.username = user;
  if (password !== undefined) url.password = password;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  try {
    await client.query(sql);
    return 'ok';
  } catch (error) {
    return (error as { code?: string }).code ?? String(error);
  } finally {
    await client.end();
  }
}
