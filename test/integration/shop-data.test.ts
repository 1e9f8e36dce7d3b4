import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors.js';
import { createShopSchema, generateShopData, SHOP_TABLES, simulateShopDay, type Queryable } from '../../src/local/shop-data.js';
import { quoteQualified } from '../../src/sql/quote-ident.js';
import { createTestDatabase, type TestDatabase } from '../support/test-env.js';
import { testPool } from '../support/test-pool.js';

// The demo data covers the 30 days before endDate: [2024-01-31, 2024-03-01) in UTC.
const LOAD = { scale: 2_000, seed: 7, endDate: '2024-03-01' };
const WINDOW_START = '2024-01-31T00:00:00Z';
const WINDOW_END = '2024-03-01T00:00:00Z';

interface ShopDatabase {
  database: TestDatabase;
  client: pg.Client;
}

async function shopDatabase(prefix: string): Promise<ShopDatabase> {
  const database = await createTestDatabase(prefix);
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  await createShopSchema(client);
  return { database, client };
}

async function dropShopDatabase(shop: ShopDatabase | undefined): Promise<void> {
  if (!shop) return;
  await shop.client.end();
  await shop.database.drop();
}

/** md5 of every row of every table, in id order, as text: equal fingerprints mean byte-identical tables. */
async function fingerprints(client: Queryable): Promise<Record<string, string>> {
  const result: Record<string, string> = {};
  for (const table of SHOP_TABLES) {
    const { rows } = await client.query(`select md5(string_agg(t::text, '|' order by id)) as md5 from ${quoteQualified('public', table)} as t`);
    result[table] = rows[0]!.md5;
  }
  return result;
}

async function count(client: Queryable, sql: string, values: unknown[] = []): Promise<number> {
  const { rows } = await client.query(`select count(*)::int as n from (${sql}) as q`, values);
  return rows[0]!.n;
}

describe('the shop demo data', () => {
  let shop: ShopDatabase;
  let twin: ShopDatabase;
  let otherSeed: ShopDatabase;
  let counts: Record<string, number>;

  beforeAll(async () => {
    [shop, twin, otherSeed] = await Promise.all([shopDatabase('shop_data'), shopDatabase('shop_twin'), shopDatabase('shop_other')]);
    counts = await generateShopData(shop.client, LOAD);
    // The twin is generated through a Pool whose sessions run in a far-away time zone: the
    // data must not depend on the connection it was made over.
    const pool = testPool({ connectionString: twin.database.url, options: '-c TimeZone=Pacific/Chatham' });
    try {
      await generateShopData(pool, LOAD);
    } finally {
      await pool.end();
    }
    await generateShopData(otherSeed.client, { ...LOAD, seed: 8 });
  });
  afterAll(async () => {
    await Promise.all([shop, twin, otherSeed].map(dropShopDatabase));
  });

  it('creates customers, products, orders and sales in public, each with an index on updated_at', async () => {
    const { rows } = await shop.client.query(`
      select t.relname as table_name
      from pg_index as i
      join pg_class as t on t.oid = i.indrelid
      join pg_namespace as n on n.oid = t.relnamespace
      join pg_attribute as a on a.attrelid = t.oid and a.attnum = i.indkey[0]
      where n.nspname = 'public' and a.attname = 'updated_at'
      order by 1`);
    expect(rows.map((row) => row.table_name)).toEqual(['customers', 'orders', 'products', 'sales']);
  });

  it('links the tables with foreign keys: orders to customers and products, sales to orders and products', async () => {
    const { rows } = await shop.client.query(`
      select conrelid::regclass::text || ' -> ' || confrelid::regclass::text as link
      from pg_constraint where contype = 'f' order by 1`);
    expect(rows.map((row) => row.link)).toEqual(['orders -> customers', 'orders -> products', 'sales -> orders', 'sales -> products']);
  });

  it('sizes the tables by the scale: scale orders, scale/10 customers, min(500, max(20, scale/100)) products, about 1.5 lines per order', async () => {
    expect(counts).toMatchObject({ customers: 200, products: 20, orders: 2_000 });
    expect(counts.sales).toBeGreaterThan(1.4 * 2_000);
    expect(counts.sales).toBeLessThan(1.6 * 2_000);
    for (const table of SHOP_TABLES) {
      expect(await count(shop.client, `select 1 from ${quoteQualified('public', table)}`)).toBe(counts[table]);
    }
  });

  it('is deterministic: the same seed gives byte-identical tables, whatever the session time zone', async () => {
    expect(await fingerprints(twin.client)).toEqual(await fingerprints(shop.client));
  });

  it('gives every table different contents for a different seed', async () => {
    const [same, other] = await Promise.all([fingerprints(shop.client), fingerprints(otherSeed.client)]);
    for (const table of SHOP_TABLES) expect(other[table], table).not.toBe(same[table]);
  });

  it('keeps every timestamp inside [endDate - 30 days, endDate), and updated_at never before created_at', async () => {
    for (const table of SHOP_TABLES) {
      const outside = await count(
        shop.client,
        `select 1 from ${quoteQualified('public', table)}
         where created_at < $1::timestamptz or updated_at >= $2::timestamptz or updated_at < created_at`,
        [WINDOW_START, WINDOW_END],
      );
      expect(outside, table).toBe(0);
    }
    const { rows } = await shop.client.query('select min(created_at) as first, max(updated_at) as last from public.orders');
    expect(rows[0].first.getTime()).toBeLessThan(Date.parse('2024-02-01T00:00:00Z'));
    expect(rows[0].last.getTime()).toBeGreaterThan(Date.parse('2024-02-29T00:00:00Z'));
  });

  it('follows a daily rhythm: more orders around lunch and in the evening than at night', async () => {
    const { rows } = await shop.client.query(`
      select count(*) filter (where extract(hour from created_at at time zone 'UTC') between 2 and 4)::int as night,
             count(*) filter (where extract(hour from created_at at time zone 'UTC') between 17 and 19)::int as evening
      from public.orders`);
    expect(rows[0].evening).toBeGreaterThan(5 * rows[0].night);
  });

  it('only lets customers order after they signed up, and only products already listed', async () => {
    const tooEarly = await count(
      shop.client,
      `select 1 from public.orders as o
       join public.customers as c on c.id = o.customer_id
       join public.products as p on p.id = o.product_id
       where o.created_at < c.created_at or o.created_at < p.created_at`,
    );
    expect(tooEarly).toBe(0);
  });

  it('makes order lines agree with their order: line 1 is the order product, units add up, unit price is the list price', async () => {
    const disagreeing = await count(
      shop.client,
      `select 1 from public.orders as o
       join (select order_id, sum(quantity) as units, min(id) as first_line from public.sales group by order_id) as l on l.order_id = o.id
       join public.sales as first_line on first_line.id = l.first_line
       where first_line.product_id <> o.product_id or o.quantity <> l.units`,
    );
    expect(disagreeing).toBe(0);
    expect(await count(shop.client, 'select 1 from public.sales as s join public.products as p on p.id = s.product_id where s.unit_price <> p.price')).toBe(0);
    expect(await count(shop.client, 'select 1 from public.orders as o where not exists (select 1 from public.sales as s where s.order_id = o.id)')).toBe(0);
  });

  it('stores statuses the way the application wrote them: mixed case, stray spaces, four values underneath', async () => {
    const { rows } = await shop.client.query('select distinct status from public.orders');
    const statuses: string[] = rows.map((row) => row.status);
    expect(new Set(statuses.map((status) => status.trim().toLowerCase()))).toEqual(new Set(['pending', 'shipped', 'delivered', 'cancelled']));
    expect(statuses).toContain('delivered');
    expect(statuses.some((status) => status !== status.trim())).toBe(true);
    expect(statuses.some((status) => /^[A-Z]+$/.test(status.trim()))).toBe(true);
    expect(statuses.some((status) => /^[A-Z][a-z]+$/.test(status.trim()))).toBe(true);
  });

  it('leaves some order quantities NULL, as the legacy checkout did', async () => {
    const missing = await count(shop.client, 'select 1 from public.orders where quantity is null');
    expect(missing).toBeGreaterThan(0);
    expect(missing).toBeLessThan(0.05 * 2_000);
  });

  it('keeps addresses as JSON text: mostly complete, some partial, some malformed, some NULL', async () => {
    const { rows } = await shop.client.query('select address from public.customers');
    const addresses: (string | null)[] = rows.map((row) => row.address);
    const parsed = addresses
      .filter((text): text is string => text !== null)
      .map((text) => {
        try {
          return JSON.parse(text) as Record<string, unknown>;
        } catch {
          return 'malformed' as const;
        }
      });
    const objects = parsed.filter((value): value is Record<string, unknown> => value !== 'malformed');
    const complete = objects.filter((address) => ['street', 'city', 'postal_code', 'country', 'geo'].every((key) => key in address));

    expect(addresses.filter((text) => text === null).length).toBeGreaterThan(0);
    expect(parsed.filter((value) => value === 'malformed').length).toBeGreaterThan(0);
    expect(objects.length - complete.length).toBeGreaterThan(0);
    expect(complete.length).toBeGreaterThan(0.7 * addresses.length);
    expect(complete[0]).toMatchObject({ country: expect.stringMatching(/^[A-Z]{2}$/), geo: { lat: expect.any(Number), lon: expect.any(Number) } });
    expect(complete.filter((address) => address.country === 'DE').length).toBeGreaterThan(complete.length / 2);
  });

  it('writes emails and phones the many ways people type them', async () => {
    const { rows } = await shop.client.query('select email, phone from public.customers');
    const emails: string[] = rows.map((row) => row.email).filter(Boolean);
    const phones: string[] = rows.map((row) => row.phone).filter(Boolean);
    expect(emails.every((email) => /^\s?[^@\s]+@[^@\s]+\.[a-z]+\s?$/i.test(email))).toBe(true);
    expect(emails.some((email) => email !== email.toLowerCase())).toBe(true);
    expect(emails.some((email) => email !== email.trim())).toBe(true);
    expect(phones.some((phone) => /^\+49 1\d\d \d{7}$/.test(phone))).toBe(true);
    expect(phones.some((phone) => /^\(0\d+\) \d{3}-\d{3,4}$/.test(phone))).toBe(true);
    expect(phones.some((phone) => /^01\d\d\/\d{7}$/.test(phone))).toBe(true);
  });

  it('gives customers a national id (the PII column to mask) and a plausible birth date', async () => {
    const { rows } = await shop.client.query(`
      select count(*) filter (where national_id ~ '^[1-9][0-9]{10}$')::int as ids,
             min(birth_date)::text as oldest, max(birth_date)::text as youngest
      from public.customers`);
    expect(rows[0].ids).toBeGreaterThan(0.9 * 200);
    expect(rows[0].oldest >= '1950-01-01').toBe(true);
    expect(rows[0].youngest < '2006-01-01').toBe(true);
  });

  it('keeps products within 1–500 EUR in the six shop categories', async () => {
    const { rows } = await shop.client.query(
      'select min(price)::float8 as low, max(price)::float8 as high, array_agg(distinct category) as categories from public.products',
    );
    expect(rows[0].low).toBeGreaterThanOrEqual(1);
    expect(rows[0].high).toBeLessThanOrEqual(500);
    expect(['Electronics', 'Books', 'Garden', 'Toys', 'Grocery', 'Fashion']).toEqual(expect.arrayContaining(rows[0].categories));
  });

  it('refuses to fill tables that already hold rows', async () => {
    await expect(generateShopData(shop.client, LOAD)).rejects.toThrow(/already hold rows \(customers, products, orders, sales\)/);
  });

  it('rejects invalid options with a message that names the option', async () => {
    await expect(generateShopData(shop.client, { ...LOAD, scale: 0 })).rejects.toThrow(ConfigError);
    await expect(generateShopData(shop.client, { ...LOAD, scale: 2.5 })).rejects.toThrow(/scale must be an integer from 1/);
    await expect(generateShopData(shop.client, { ...LOAD, endDate: '2024-02-30' })).rejects.toThrow(/endDate must be a date written YYYY-MM-DD/);
    await expect(generateShopData(shop.client, { ...LOAD, days: 0 })).rejects.toThrow(/days must be an integer/);
    await expect(simulateShopDay(shop.client, { seed: 7, date: '1.3.2024', newOrders: 1, updatedOrders: 1, lateOrders: 1 })).rejects.toThrow(
      /date must be a date/,
    );
    await expect(simulateShopDay(shop.client, { seed: 7, date: '2024-03-01', newOrders: -1, updatedOrders: 1, lateOrders: 1 })).rejects.toThrow(
      /newOrders must be an integer/,
    );
  });
});

describe('a simulated day D after the initial load', () => {
  // The initial load covers the 7 days before D; then D itself happens.
  const D = '2024-03-01';
  const D_START = '2024-03-01T00:00:00Z';
  const D_END = '2024-03-02T00:00:00Z';
  const PREVIOUS_START = '2024-02-29T00:00:00Z';
  const DAY = { seed: 11, date: D, newOrders: 50, updatedOrders: 30, lateOrders: 6 };
  let shop: ShopDatabase;
  let twin: ShopDatabase;
  let result: Awaited<ReturnType<typeof simulateShopDay>>;

  beforeAll(async () => {
    [shop, twin] = await Promise.all([shopDatabase('shop_day'), shopDatabase('shop_day_twin')]);
    for (const { client } of [shop, twin]) await generateShopData(client, { scale: 2_000, seed: 11, endDate: D, days: 7 });
    // The orders as they stood when the run for D-1 extracted [D-1, D), shortly after midnight.
    await shop.client.query('create schema before_d; create table before_d.orders as select id, status, updated_at from public.orders');
    result = await simulateShopDay(shop.client, DAY);
    await simulateShopDay(twin.client, DAY);
  });
  afterAll(async () => {
    await Promise.all([shop, twin].map(dropShopDatabase));
  });

  it('reports what it did: new, updated and late orders, as many as asked for', () => {
    expect(result).toEqual({ inserted: 50, updated: 30, late: 6 });
  });

  it('creates the new orders on D, each paid (its updated_at) later the same day', async () => {
    const { rows } = await shop.client.query(
      `select count(*)::int as n,
              count(*) filter (where created_at >= $1::timestamptz and updated_at >= created_at and updated_at < $2::timestamptz)::int as on_d,
              count(*) filter (where lower(btrim(status)) = 'pending')::int as pending
       from public.orders where id not in (select id from before_d.orders) and created_at >= $1::timestamptz`,
      [D_START, D_END],
    );
    expect(rows[0]).toEqual({ n: 50, on_d: 50, pending: 50 });
  });

  it('moves existing orders on during D: a real status change, and updated_at within D', async () => {
    const { rows } = await shop.client.query(
      `select lower(btrim(b.status)) as before, lower(btrim(o.status)) as after, o.updated_at >= $1::timestamptz and o.updated_at < $2::timestamptz as within_d
       from public.orders as o join before_d.orders as b using (id)
       where o.updated_at is distinct from b.updated_at or o.status is distinct from b.status`,
      [D_START, D_END],
    );
    expect(rows).toHaveLength(30);
    expect(rows.every((row) => row.within_d)).toBe(true);
    const moves = new Set(rows.map((row) => `${row.before} -> ${row.after}`));
    expect([...moves].every((move) => ['pending -> shipped', 'pending -> cancelled', 'shipped -> delivered'].includes(move))).toBe(true);
  });

  it('inserts late orders on D-1, committed 23:30–24:00: missed by the extract of D-1, caught by a 30-minute lookback on D', async () => {
    const late = await shop.client.query(
      `select id, created_at, updated_at from public.orders
       where id not in (select id from before_d.orders) and created_at < $1::timestamptz order by id`,
      [D_START],
    );
    expect(late.rows).toHaveLength(6);
    for (const order of late.rows) {
      expect(order.created_at.getTime()).toBeGreaterThanOrEqual(Date.parse(PREVIOUS_START));
      expect(order.updated_at.getTime()).toBeGreaterThanOrEqual(Date.parse('2024-02-29T23:30:00Z'));
      expect(order.updated_at.getTime()).toBeLessThan(Date.parse(D_START));
      expect(order.updated_at.getTime()).toBeGreaterThanOrEqual(order.created_at.getTime());
    }
    // They belong to D-1's interval, yet D-1's extract could not see them ...
    const missed = await count(
      shop.client,
      `select 1 from public.orders where updated_at >= $1::timestamptz and updated_at < $2::timestamptz
       and id not in (select id from before_d.orders)`,
      [PREVIOUS_START, D_START],
    );
    expect(missed).toBe(6);
    // ... so D's extract must read [D - lookback, D + 1), not just [D, D + 1), to get every change.
    const changedSince = (from: string) => `
      select 1 from public.orders as o left join before_d.orders as b using (id)
      where o.updated_at >= ${from} and o.updated_at < $2::timestamptz
        and (b.id is null or b.updated_at <> o.updated_at)`;
    expect(await count(shop.client, changedSince('$1::timestamptz'), [D_START, D_END])).toBe(50 + 30);
    const { rows } = await shop.client.query(`select count(*)::int as n from (${changedSince("$1::timestamptz - interval '30 minutes'")}) as q`, [
      D_START,
      D_END,
    ]);
    expect(rows[0].n).toBe(50 + 30 + 6);
  });

  it('writes the lines of new and late orders with their order, continuing the sales ids', async () => {
    const { rows } = await shop.client.query(
      `select count(distinct s.order_id)::int as orders,
              count(*) filter (where s.created_at <> o.created_at or s.updated_at <> o.updated_at)::int as out_of_step,
              (select count(*) = max(id) from public.sales) as dense_ids
       from public.sales as s join public.orders as o on o.id = s.order_id
       where o.id not in (select id from before_d.orders)`,
    );
    expect(rows[0]).toEqual({ orders: 56, out_of_step: 0, dense_ids: true });
  });

  it('is deterministic for a seed and a date', async () => {
    expect(await fingerprints(twin.client)).toEqual(await fingerprints(shop.client));
  });
});
