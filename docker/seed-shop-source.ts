// Fills the compose stack's source PostgreSQL (PGSHIFT_SOURCE_URL) with the demo shop's data,
// the same generator `npm run demo` uses: `--days` days of history ending at the start of today
// (UTC), so yesterday, the day etl_pipeline processes first, is complete. A source that already
// holds the shop's tables is left as it is, so `docker compose up` again keeps the data and the
// pipeline's history consistent.

import { parseArgs } from 'node:util';
import { getPostgresConn } from '../src/connections.js';
import { createShopSchema, generateShopData } from '../src/local/shop-data.js';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { scale: { type: 'string', default: '20000' }, seed: { type: 'string', default: '42' }, days: { type: 'string', default: '30' } },
  });
  const url = process.env.PGSHIFT_SOURCE_URL;
  if (!url) throw new Error('PGSHIFT_SOURCE_URL is not set: point it at the source PostgreSQL to fill');
  const source = getPostgresConn({ connectionString: url, max: 2 });
  try {
    const existing = await source.query<{ n: string }>("select count(*) as n from information_schema.tables where table_schema = 'public' and table_name = 'orders'");
    if (existing.rows[0]?.n !== '0') {
      process.stdout.write('source already holds the shop tables; left as it is\n');
      return;
    }
    await createShopSchema(source);
    const today = new Date().toISOString().slice(0, 10);
    const counts = await generateShopData(source, { scale: Number(values.scale), seed: Number(values.seed), endDate: today, days: Number(values.days) });
    process.stdout.write(`generated the shop's data up to ${today}: ${JSON.stringify(counts)}\n`);
  } finally {
    await source.end();
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`seed-shop-source: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
});
