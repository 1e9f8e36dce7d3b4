// Deterministic synthetic contents for the five report tables: 60 days of sales up to the
// report day (plus one later day a newer run added), 30 products including hostile names, 500
// customers, and thirteen monthly cohorts. Values are kept as the text PostgreSQL returns, so
// tests can compare CSV files with them field by field.

import pg from 'pg';
import { quoteIdent, quoteQualified } from '../../src/sql/quote-ident.js';
import { seededRandom } from './seeded-random.js';

export type FixtureRow = Record<string, string | null>;
export type ReportFixture = Record<ReportFixtureTable, FixtureRow[]>;
export type ReportFixtureTable = 'daily_sales' | 'product_performance' | 'customer_lifetime_value' | 'new_vs_returning_customers' | 'cohort_retention';

export const HOSTILE_PRODUCT = '<script>alert(1)</script>';
/** A name that needs CSV quoting: comma, quotes and a line break. */
export const QUOTED_PRODUCT = 'Mug "Classic", 12 oz\nwith lid';

const DDL: Record<ReportFixtureTable, string> = {
  daily_sales: 'order_date date, orders bigint, units bigint, revenue numeric(14,2), average_order_value numeric(14,2)',
  product_performance: 'product_id bigint, product_name text, category text, orders bigint, units bigint, revenue numeric(14,2), revenue_rank bigint',
  customer_lifetime_value:
    'customer_id bigint, first_order_date date, last_order_date date, orders bigint, revenue numeric(14,2), lifetime_value numeric(14,2)',
  new_vs_returning_customers: 'order_date date, new_customers bigint, returning_customers bigint',
  cohort_retention: 'cohort_month date, months_since_first bigint, customers bigint, cohort_size bigint, retention_rate numeric(6,4)',
};

const DAY_MS = 86_400_000;
export const addDays = (date: string, days: number): string => new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
const monthStart = (date: string, months: number): string => {
  const [year, month] = date.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(year, month - 1 + months, 1)).toISOString().slice(0, 10);
};
/** Cents as PostgreSQL prints numeric(14,2): `1234.50`. */
export const money = (cents: number): string => `${cents < 0 ? '-' : ''}${Math.floor(Math.abs(cents) / 100)}.${String(Math.abs(cents) % 100).padStart(2, '0')}`;
/** The reverse, for hand computations in tests. */
export const cents = (text: string | null | undefined): number => Math.round(Number(text ?? '0') * 100);

export function reportFixture(date: string): ReportFixture {
  const rand = seededRandom(20261123);
  const daily_sales: FixtureRow[] = [];
  const new_vs_returning_customers: FixtureRow[] = [];
  // 60 days up to the report day, and the day after: a later run's row the report must ignore.
  for (let index = 0; index <= 60; index++) {
    const day = addDays(date, index - 59);
    const weekly = Math.sin((2 * Math.PI * index) / 7);
    const orders = Math.round(120 + 0.9 * index + 22 * weekly + rand() * 18);
    const units = orders * 2 + Math.floor(rand() * (orders / 2));
    const revenue = orders * (4200 + Math.floor(rand() * 1200) - 600) + Math.floor(rand() * 100);
    daily_sales.push({
      order_date: day,
      orders: String(orders),
      units: String(units),
      revenue: money(revenue),
      average_order_value: money(Math.round(revenue / orders)),
    });
    const newCustomers = Math.round(orders * (0.3 + rand() * 0.1));
    new_vs_returning_customers.push({ order_date: day, new_customers: String(newCustomers), returning_customers: String(orders - newCustomers) });
  }

  const adjectives = ['Classic', 'Organic', 'Deluxe', 'Compact', 'Everyday', 'Premium', 'Travel', 'Vintage', 'Modern', 'Eco'];
  const nouns = [
    'Backpack',
    'Water Bottle',
    'Desk Lamp',
    'Notebook',
    'Coffee Beans',
    'Yoga Mat',
    'Headphones',
    'Candle',
    'Tea Set',
    'Sneakers',
    'Scarf',
    'Blender',
    'Planter',
    'Umbrella',
    'Wallet',
  ];
  const categories = ['Home', 'Outdoors', 'Kitchen', 'Office', 'Apparel', 'Wellness'];
  const product_performance: FixtureRow[] = [];
  for (let rank = 1; rank <= 30; rank++) {
    const name =
      rank === 3
        ? HOSTILE_PRODUCT
        : rank === 5
          ? QUOTED_PRODUCT
          : rank === 8
            ? 'Extra-long product name that will not fit on one chart label line'
            : `${adjectives[rank % adjectives.length]} ${nouns[(rank * 7) % nouns.length]}`;
    const revenue = Math.round(9_000_000 / rank ** 0.7) + rank * 37;
    const orders = Math.round(revenue / 5200);
    product_performance.push({
      product_id: String(100 + ((rank * 11) % 30)),
      product_name: name,
      // One product without a category (NULL) and one with an empty one: the CSV keeps them apart.
      category: rank === 29 ? null : rank === 30 ? '' : categories[rank % categories.length]!,
      orders: String(orders),
      units: String(orders * 2 + (rank % 3)),
      revenue: money(revenue),
      revenue_rank: String(rank),
    });
  }

  const customer_lifetime_value: FixtureRow[] = [];
  for (let id = 1; id <= 502; id++) {
    // Two customers first ordered after the report day; the report must leave them out.
    const first = id > 500 ? addDays(date, 1) : addDays(date, -Math.floor(rand() * 365));
    const orders = id > 500 ? 1 : 1 + Math.floor(-Math.log(1 - rand()) * 2.5);
    const revenue = Array.from({ length: orders }, () => 2500 + Math.floor(rand() * 9000)).reduce((a, b) => a + b, 0);
    const last = orders === 1 ? first : addDays(first, Math.floor(rand() * Math.max(1, (Date.parse(date) - Date.parse(first)) / DAY_MS)));
    customer_lifetime_value.push({
      customer_id: String(id),
      first_order_date: first,
      last_order_date: last,
      orders: String(orders),
      revenue: money(revenue),
      lifetime_value: money(Math.round(revenue * 0.9)),
    });
  }

  const cohort_retention: FixtureRow[] = [];
  // Thirteen cohorts: the dashboard shows the twelve most recent, the CSV keeps all.
  for (let back = 12; back >= 0; back--) {
    const cohort = monthStart(date, -back);
    const size = 40 + Math.floor(rand() * 40);
    for (let month = 0; month <= back; month++) {
      const customers = month === 0 ? size : Math.max(1, Math.round(size * 0.38 * 0.84 ** (month - 1) * (0.85 + rand() * 0.3)));
      cohort_retention.push({
        cohort_month: cohort,
        months_since_first: String(month),
        customers: String(customers),
        cohort_size: String(size),
        retention_rate: (customers / size).toFixed(4),
      });
    }
  }
  return { daily_sales, product_performance, customer_lifetime_value, new_vs_returning_customers, cohort_retention };
}

/** Creates the report tables in `schema` and fills them; `omit` leaves tables out. */
export async function loadReportFixture(url: string, schema: string, fixture: ReportFixture, omit: readonly ReportFixtureTable[] = []): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`create schema if not exists ${quoteIdent(schema)}`);
    for (const [table, rows] of Object.entries(fixture) as [ReportFixtureTable, FixtureRow[]][]) {
      if (omit.includes(table)) continue;
      const relation = quoteQualified(schema, table);
      await client.query(`create table ${relation} (${DDL[table]})`);
      const columns = Object.keys(rows[0]!);
      for (let start = 0; start < rows.length; start += 200) {
        const chunk = rows.slice(start, start + 200);
        const values = chunk.map((_, row) => `(${columns.map((_, column) => `$${row * columns.length + column + 1}`).join(', ')})`).join(', ');
        await client.query(
          `insert into ${relation} (${columns.map(quoteIdent).join(', ')}) values ${values}`,
          chunk.flatMap((row) => columns.map((column) => row[column])),
        );
      }
    }
  } finally {
    await client.end();
  }
}
