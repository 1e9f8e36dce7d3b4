// Generates the demo source `shop` inside PostgreSQL: set-based inserts whose every value is
// a hash of (seed, row), so a seed always yields byte-identical tables, at any scale.

import { PgshiftError, errorMessage } from '../errors.js';
import { quoteIdent, quoteQualified } from '../sql/quote-ident.js';
import { insertCustomers } from './shop-customers.js';
import { MICROS_PER_DAY, type ShopWindow } from './shop-expressions.js';
import { insertOrderLines, insertOrders } from './shop-orders.js';
import { insertProducts } from './shop-products.js';
import { SHOP_TABLES, addShopIndexesAndKeys, dropShopIndexesAndKeys, type Queryable } from './shop-schema.js';
import { MAX_SEED, checkInteger, parseUtcDate } from './shop-validate.js';

export { createShopSchema, SHOP_TABLES, type Queryable, type ShopTable } from './shop-schema.js';
export { simulateShopDay, type ShopDayOptions, type ShopDayResult } from './shop-day.js';

export interface ShopDataOptions {
  /** Approximate number of orders; customers ≈ scale/10, products ≈ min(500, max(20, scale/100)), sales ≈ 1.5 × orders. */
  scale: number;
  seed: number;
  /** `YYYY-MM-DD` (UTC): the data covers the `days` days before it, i.e. timestamps in [endDate - days, endDate). */
  endDate: string;
  /** Default 30. */
  days?: number;
}

const MAX_SCALE = 1_000_000_000;
const MAX_DAYS = 3_650;

/** How many rows of each table a scale asks for (sales follow from the orders' line counts). */
export function shopRowTargets(scale: number): { customers: number; products: number; orders: number } {
  return {
    customers: Math.max(1, Math.round(scale / 10)),
    products: Math.min(500, Math.max(20, Math.round(scale / 100))),
    orders: scale,
  };
}

/**
 * Fills freshly created shop tables (see `createShopSchema`) and returns the rows inserted
 * per table. Foreign keys and secondary indexes are dropped for the load and added back
 * after it. Works over a Pool as well as a Client: no statement relies on session state.
 */
export async function generateShopData(client: Queryable, options: ShopDataOptions): Promise<Record<string, number>> {
  const { scale, seed, endDate } = options;
  const days = options.days ?? 30;
  checkInteger('scale', scale, 1, MAX_SCALE);
  checkInteger('seed', seed, 0, MAX_SEED);
  checkInteger('days', days, 1, MAX_DAYS);
  const end = parseUtcDate('endDate', endDate);
  const window: ShopWindow = {
    seed,
    startIso: new Date(end - days * 86_400_000).toISOString(),
    spanMicros: days * MICROS_PER_DAY,
  };
  await assertEmpty(client);

  const targets = shopRowTargets(scale);
  const counts: Record<string, number> = {};
  const steps = [
    ['customers', insertCustomers(window, targets.customers)],
    ['products', insertProducts(window, targets.products)],
    ['orders', insertOrders(window, { ...targets, days })],
    ['sales', insertOrderLines(window, targets.products)],
  ] as const;
  await dropShopIndexesAndKeys(client);
  for (const [table, statement] of steps) {
    const result = await client.query(statement.text, statement.values).catch((error: unknown) => {
      const hint = 'the tables are half filled; recreate them with createShopSchema';
      throw new PgshiftError(
        'SHOP_DATA_FAILED',
        `generating shop data failed on table ${table}: ${errorMessage(error)} (${hint})`,
        { table },
        { cause: error },
      );
    });
    counts[table] = result.rowCount ?? 0;
    // Fresh statistics let the next statement (which joins this table) plan for its real size.
    await client.query(`analyze ${quoteQualified('public', table)}`);
  }
  await addShopIndexesAndKeys(client);
  return counts;
}

async function assertEmpty(client: Queryable): Promise<void> {
  const probes = SHOP_TABLES.map((table) => `(select count(*) from (select 1 from ${quoteQualified('public', table)} limit 1) as t) as ${quoteIdent(table)}`);
  const { rows } = await client.query(`select ${probes.join(', ')}`).catch((error: unknown) => {
    throw new PgshiftError('SHOP_DATA_FAILED', `the shop tables are missing; call createShopSchema first (${errorMessage(error)})`, {}, { cause: error });
  });
  const filled = SHOP_TABLES.filter((table) => Number(rows[0]?.[table]) > 0);
  if (filled.length > 0) {
    throw new PgshiftError('SHOP_DATA_FAILED', `shop tables already hold rows (${filled.join(', ')}); recreate them with createShopSchema first`, {
      table: filled[0],
    });
  }
}
