// Points of a run seen from outside the process: a statement in pg_stat_activity of the source
// or the warehouse database, or a count of finished nodes in run_results.json. Nothing in
// pgshift is hooked; a point the run passes too quickly to be seen is reported as not reached.

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { waitFor } from '../../test/support/wait-for.js';

/** The pid of a backend of `databaseUrl`'s database running a statement matching `pattern` (ILIKE). */
export async function activeStatement(adminUrl: string, databaseUrl: string, pattern: string, until: Promise<unknown>): Promise<number | undefined> {
  const database = new URL(databaseUrl).pathname.slice(1);
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await waitFor(
      async () => {
        const { rows } = await client.query<{ pid: number }>(
          `select pid from pg_stat_activity where datname = $1 and pid <> pg_backend_pid() and state = 'active' and query ilike $2 limit 1`,
          [database, pattern],
        );
        return rows[0]?.pid;
      },
      until,
      `a statement like ${pattern}`,
    ).catch(() => undefined);
  } finally {
    await client.end();
  }
}

export async function terminateBackend(adminUrl: string, pid: number): Promise<void> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    await client.query('select pg_terminate_backend($1)', [pid]);
  } finally {
    await client.end();
  }
}

/** Resolves once this run's run_results.json (written after `since`) shows at least `count` finished nodes; false if the run ended first. */
export async function finishedNodes(projectDir: string, count: number, since: Date, until: Promise<unknown>): Promise<boolean> {
  const file = path.join(projectDir, 'target', 'run_results.json');
  return waitFor(
    async () => {
      try {
        const parsed = JSON.parse(await readFile(file, 'utf8')) as {
          metadata: { generated_at: string };
          results: { adapter_response: { pgshift?: { state?: string } } }[];
        };
        if (new Date(parsed.metadata.generated_at) < since) return undefined; // the previous run's file
        // An unfinished node is written `skipped` with its state (pending, running) under adapter_response.pgshift.
        const done = parsed.results.filter((result) => result.adapter_response.pgshift?.state === undefined).length;
        return done >= count ? true : undefined;
      } catch {
        return undefined; // not written yet (the previous run's file is replaced atomically)
      }
    },
    until,
    `${count} finished nodes`,
  ).catch(() => false);
}
