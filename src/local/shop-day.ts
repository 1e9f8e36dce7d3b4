// Simulates one more day D of the shop after the initial load: new orders, status changes of
// existing orders, and late-arriving orders, which is what a daily incremental run must catch.
//
// A daily run extracts `updated_at in [D-1, D)` shortly after midnight. An order whose
// transaction was still open then (a slow payment callback, a batch import) commits later
// with `updated_at` at 23:30–23:59 on D-1: after D-1's extract had already read that
// interval. The late rows made here are exactly those: inserted when D is simulated, with
// `created_at` and `updated_at` on D-1. Only a run for D that re-reads the end of the
// previous interval (a `lookback` of at least 30 minutes) picks them up.

import { createHash } from 'node:crypto';
import { PgshiftError, errorMessage } from '../errors.js';
import {
  MICROS_PER_DAY,
  MICROS_PER_HOUR,
  PRODUCT_STREAM,
  discountPercent,
  lineCount,
  lineKey,
  lineQuantity,
  orderQuantity,
  popularProductRank,
  statusAsStored,
  timeOfDayMicros,
} from './shop-expressions.js';
import { randomInt, uniform, weighted } from './shop-random.js';
import type { Queryable } from './shop-schema.js';
import { MAX_SEED, checkInteger, parseUtcDate } from './shop-validate.js';

export interface ShopDayOptions {
  seed: number;
  /** The new day D, `YYYY-MM-DD` (UTC). */
  date: string;
  /** Orders (with their lines) created on D. */
  newOrders: number;
  /** Existing pending or shipped orders that move on (shipped, cancelled, delivered) during D. */
  updatedOrders: number;
  /** Orders created on D-1 that commit late, with `updated_at` in D-1 23:30–24:00. */
  lateOrders: number;
}

export interface ShopDayResult {
  inserted: number;
  updated: number;
  late: number;
}

/** Random streams 500–599. */
const STREAM = {
  customer: 500,
  lateCommit: 501,
  lateAge: 502,
  paymentDelay: 503,
  pick: 504,
  nextStatus: 505,
} as const;

const MINUTE = 60_000_000;
const MAX_ROWS_PER_DAY = 10_000_000;

/**
 * Applies day D in one statement (data-modifying CTEs), so it is atomic over a Pool too.
 * Fewer orders than asked are updated only when fewer pending or shipped orders exist.
 */
export async function simulateShopDay(client: Queryable, options: ShopDayOptions): Promise<ShopDayResult> {
  checkInteger('seed', options.seed, 0, MAX_SEED);
  checkInteger('newOrders', options.newOrders, 0, MAX_ROWS_PER_DAY);
  checkInteger('updatedOrders', options.updatedOrders, 0, MAX_ROWS_PER_DAY);
  checkInteger('lateOrders', options.lateOrders, 0, MAX_ROWS_PER_DAY);
  const dayStart = new Date(parseUtcDate('date', options.date)).toISOString();

  const { rows } = await client.query('select exists (select 1 from public.customers) as customers, exists (select 1 from public.products) as products');
  if (!rows[0]?.customers || !rows[0]?.products) {
    throw new PgshiftError('SHOP_DATA_FAILED', 'simulating a shop day needs customers and products; run generateShopData first', { date: options.date });
  }
  const values = [daySeed(options.seed, options.date), dayStart, options.lateOrders, options.newOrders, options.updatedOrders];
  const result = await client.query(DAY_SQL, values).catch((error: unknown) => {
    throw new PgshiftError('SHOP_DATA_FAILED', `simulating shop day ${options.date} failed: ${errorMessage(error)}`, { date: options.date }, { cause: error });
  });
  const counts = result.rows[0]!;
  return { inserted: counts.inserted, updated: counts.updated, late: counts.late };
}

/** Each day draws from its own streams: the seed and the date hashed into a new seed. */
function daySeed(seed: number, date: string): number {
  return createHash('sha256').update(`${seed}/${date}`).digest().readUInt32BE(0) & MAX_SEED;
}

// Parameters: $1 the day's seed, $2 start of D (ISO, UTC), $3 late orders, $4 new orders,
// $5 orders to update. Times below are µs relative to the start of D.
const DAY_SQL = `
with
customers_ranked as (
  select id, row_number() over (order by id) as rn from public.customers
),
products_ranked as (
  select id, price, row_number() over (order by id) as rn from public.products
),
shop_size as (
  select (select count(*) from public.customers) as customers, (select count(*) from public.products) as products
),
numbered as (
  -- Late orders take the lower ids: their transactions began before midnight.
  select last_order.id + g as id, g <= $3::int as late
  from (select coalesce(max(id), 0) as id from public.orders) as last_order,
    generate_series(1, $3::int + $4::int) as g
),
anchored as (
  -- The anchor is the commit of a late order (D-1 23:30–24:00) or the creation of a new one.
  select
    id,
    late,
    case when late then ${-30 * MINUTE} + ${randomInt('id', STREAM.lateCommit, 30 * MINUTE)} else ${timeOfDayMicros('id')} end as anchor_us,
    1 + ${randomInt('id', STREAM.customer, 'shop_size.customers')} as customer_rank,
    ${popularProductRank('id', PRODUCT_STREAM.firstLine, 'shop_size.products')} as product_rank
  from numbered, shop_size
),
arriving as (
  -- A late order was placed up to 6 hours before it committed; a new one is paid (its last
  -- change) within 15 minutes, but still on D.
  select
    id,
    customer_rank,
    product_rank,
    'pending' as status,
    case when late then anchor_us - ${randomInt('id', STREAM.lateAge, 6 * MICROS_PER_HOUR)} else anchor_us end as created_us,
    case when late then anchor_us else anchor_us + ${randomInt('id', STREAM.paymentDelay, `least(${15 * MINUTE}, ${MICROS_PER_DAY} - anchor_us)`)} end as updated_us
  from anchored
),
inserted_orders as (
  insert into public.orders (id, customer_id, product_id, quantity, status, created_at, updated_at)
  select
    a.id,
    c.id,
    p.id,
    ${orderQuantity('a.id')},
    ${statusAsStored('a.status', 'a.id')},
    $2::timestamptz + interval '1 microsecond' * a.created_us,
    $2::timestamptz + interval '1 microsecond' * a.updated_us
  from arriving as a
  join customers_ranked as c on c.rn = a.customer_rank
  join products_ranked as p on p.rn = a.product_rank
  returning id, product_id, created_at, updated_at
),
order_lines as (
  select
    o.id as order_id,
    l.n,
    o.created_at,
    o.updated_at,
    case when l.n = 1 then first_product.rn
      else ${popularProductRank(lineKey('o.id', 'l.n'), PRODUCT_STREAM.laterLines, 'shop_size.products')} end as product_rank
  from inserted_orders as o
  join products_ranked as first_product on first_product.id = o.product_id
  cross join shop_size
  cross join lateral generate_series(1, ${lineCount('o.id')}) as l (n)
),
inserted_sales as (
  -- A line is written with its order, so it shares the order's timestamps (late ones too).
  insert into public.sales (id, order_id, product_id, quantity, unit_price, discount, created_at, updated_at)
  select
    (select coalesce(max(id), 0) from public.sales) + row_number() over (order by ol.order_id, ol.n),
    ol.order_id,
    p.id,
    ${lineQuantity(lineKey('ol.order_id', 'ol.n'))},
    p.price,
    ${discountPercent(lineKey('ol.order_id', 'ol.n'))},
    ol.created_at,
    ol.updated_at
  from order_lines as ol
  join products_ranked as p on p.rn = ol.product_rank
  returning id
),
picked as (
  -- Orders still on their way, last touched before D.
  select id, lower(btrim(status)) as status
  from public.orders
  where updated_at < $2::timestamptz and lower(btrim(status)) in ('pending', 'shipped')
  order by ${uniform('id', STREAM.pick)}, id
  limit $5::int
),
moved as (
  select
    id,
    case status when 'pending' then ${weighted('id', STREAM.nextStatus, [
      [90, `'shipped'`],
      [10, `'cancelled'`],
    ])} else 'delivered' end as status,
    ${timeOfDayMicros('id')} as changed_us
  from picked
),
updated_orders as (
  update public.orders as o
  set status = ${statusAsStored('m.status', 'm.id')},
    updated_at = $2::timestamptz + interval '1 microsecond' * m.changed_us
  from moved as m
  where o.id = m.id
  returning o.id
)
select
  (select count(*) from inserted_orders where created_at >= $2::timestamptz)::int as inserted,
  (select count(*) from updated_orders)::int as updated,
  (select count(*) from inserted_orders where created_at < $2::timestamptz)::int as late,
  (select count(*) from inserted_sales)::int as lines`;
