// Deletes rows of the shop the way its application does, for the demo's second day: a few
// orders cancelled before payment and removed (with their lines), and customers who closed their
// account (with their orders and lines, as the foreign keys require). A cursor on updated_at
// never sees these; a table with `deletes: detect` does.

import { PgshiftError, errorMessage } from '../errors.js';
import { uniform } from './shop-random.js';
import type { Queryable } from './shop-schema.js';
import { MAX_SEED, checkInteger } from './shop-validate.js';

export interface ShopDeleteOptions {
  seed: number;
  orders: number;
  customers: number;
}

export interface ShopDeleteResult {
  orders: number;
  sales: number;
  customers: number;
  /** The ids deleted, in order, for whoever checks where they went. */
  orderIds: string[];
  customerIds: string[];
}

/** Random streams 600–699. */
const STREAM = { order: 600, customer: 601 } as const;

// $1 seed, $2 orders, $3 customers. The deletes run in one statement; PostgreSQL checks the
// foreign keys at its end, when lines, orders and customers are all gone together.
const DELETE_SQL = `
with
closed_customers as (
  select id from public.customers
  where exists (select 1 from public.orders where orders.customer_id = customers.id)
  order by ${uniform('id', STREAM.customer)}, id
  limit $3::int
),
removed_orders as (
  select id from public.orders where customer_id in (select id from closed_customers)
  union
  (select id from public.orders
   where customer_id not in (select id from closed_customers)
   order by ${uniform('id', STREAM.order)}, id
   limit $2::int)
),
deleted_sales as (
  delete from public.sales where order_id in (select id from removed_orders) returning id
),
deleted_orders as (
  delete from public.orders where id in (select id from removed_orders) returning id
),
deleted_customers as (
  delete from public.customers where id in (select id from closed_customers) returning id
)
select (select count(*)::int from deleted_orders) as orders,
       (select count(*)::int from deleted_sales) as sales,
       (select count(*)::int from deleted_customers) as customers,
       (select coalesce(array_agg(id::text order by id), '{}') from deleted_orders) as order_ids,
       (select coalesce(array_agg(id::text order by id), '{}') from deleted_customers) as customer_ids`;

export async function deleteShopRows(client: Queryable, options: ShopDeleteOptions): Promise<ShopDeleteResult> {
  checkInteger('seed', options.seed, 0, MAX_SEED);
  checkInteger('orders', options.orders, 0, 1_000_000);
  checkInteger('customers', options.customers, 0, 1_000_000);
  const result = await client.query(DELETE_SQL, [options.seed, options.orders, options.customers]).catch((error: unknown) => {
    throw new PgshiftError('SHOP_DATA_FAILED', `deleting shop rows failed: ${errorMessage(error)}`, {}, { cause: error });
  });
  const row = result.rows[0]!;
  return { orders: row.orders, sales: row.sales, customers: row.customers, orderIds: row.order_ids, customerIds: row.customer_ids };
}
