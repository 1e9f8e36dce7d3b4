// The bench's source: an orders table of 4 million rows spread evenly over four UTC days
// (1M rows a day), generated in SQL once and kept for later runs.

import pg from 'pg';
import path from 'node:path';
import { ensureDatabase, resolveLocalPostgres, type LocalPostgres } from '../../src/local/local-postgres.js';

export const BENCH_ROWS = 4_000_000;
export const BENCH_TABLE = 'bench_orders';
export const BENCH_FIRST_DAY = '2026-11-01';
export const BENCH_COLUMNS = 'id, customer_id, product_id, quantity, status, amount, note, created_at, updated_at';

export interface BenchSource {
  readonly server: LocalPostgres;
  readonly url: string;
}

export async function openBenchSource(log: (line: string) => void): Promise<BenchSource> {
  const server = await resolveLocalPostgres({ dataDir: path.resolve('.pgshift', 'bench', 'postgres') });
  const url = await ensureDatabase(server.adminUrl, 'pgshift_bench_source');
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const existing = await client.query(`select count(*)::int as n from pg_class where relname = $1`, [BENCH_TABLE]);
    const rows = existing.rows[0].n ? (await client.query(`select count(*)::int as n from ${BENCH_TABLE}`)).rows[0].n : 0;
    if (rows !== BENCH_ROWS) {
      log(`generating ${BENCH_ROWS.toLocaleString('en')} order rows (once; kept in pgshift_bench_source)`);
      await client.query(`drop table if exists ${BENCH_TABLE}`);
      await client.query(`create table ${BENCH_TABLE} (
        id bigint primary key, customer_id int not null, product_id int not null, quantity int,
        status text not null, amount numeric(12,2) not null, note text, created_at timestamptz not null, updated_at timestamptz not null)`);
      await client.query(`insert into ${BENCH_TABLE}
        select g, 1 + (g * 7919) % 100000, 1 + (g * 104729) % 500,
               case when g % 17 = 0 then null else 1 + g % 5 end,
               (array['pending', 'Shipped', ' delivered', 'CANCELLED '])[1 + g % 4],
               ((g * 31) % 50000) / 100.0,
               case when g % 5 = 0 then 'gift note "' || g || '", leave at door' end,
               ts - interval '5 minutes', ts
          from (select g, timestamptz '${BENCH_FIRST_DAY} 00:00:00+00' + (g - 1) * (interval '4 days' / ${BENCH_ROWS}) as ts
                  from generate_series(1::bigint, ${BENCH_ROWS}) g) s`);
      await client.query(`create index on ${BENCH_TABLE} (updated_at)`);
      await client.query(`vacuum analyze ${BENCH_TABLE}`);
    }
  } finally {
    await client.end();
  }
  return { server, url };
}

/** [first day, first day + days) as ISO strings. */
export function benchDays(days: number): { start: string; end: string } {
  const start = new Date(`${BENCH_FIRST_DAY}T00:00:00Z`);
  return { start: start.toISOString(), end: new Date(start.getTime() + days * 86_400_000).toISOString() };
}
