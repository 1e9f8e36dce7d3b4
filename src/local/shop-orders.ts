// The statements that fill `orders` and their lines in `sales`: orders spread over the window
// with a daily rhythm, placed by customers who had signed up, for products already listed.

import type { ShopWindow, Statement } from './shop-expressions.js';
import {
  MICROS_PER_DAY,
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
import { CATALOGUE_LISTING_MICROS } from './shop-products.js';
import { randomInt, uniform, weighted } from './shop-random.js';

/** Random streams 300–399. */
const STREAM = {
  day: 300,
  customer: 301,
  cancelled: 302,
  statusByAge: 303,
  updateDelay: 304,
  lineCorrected: 305,
  lineCorrectedAfter: 306,
} as const;

const MINUTE = 60_000_000;

/**
 * How many products are surely listed `micros` into the window: product 1 from the start,
 * product `id` once its slot `[id - 1, id) / count` of the first hour has passed.
 */
function listedProducts(count: string, micros: string): string {
  return `greatest(1, least(${count}, ${micros} * ${count} / ${CATALOGUE_LISTING_MICROS}::bigint))`;
}

/**
 * Inserts orders 1..count. Parameters: $1–$3 the window, $4 the number of orders, $5 of
 * customers, $6 of products, $7 of days in the window.
 */
export function insertOrders(window: ShopWindow, counts: { orders: number; customers: number; products: number; days: number }): Statement {
  const text = `
insert into public.orders (id, customer_id, product_id, quantity, status, created_at, updated_at)
select
  id,
  -- Customer ids follow sign-up order, one slot of span / customers each: by t_us the first
  -- floor(customers * t_us / span) have surely signed up (customer 1 always), and the order
  -- picks one of those.
  1 + floor(${uniform('id', STREAM.customer)} * greatest(1, floor(t_us::numeric * $5::bigint / $3::bigint)))::bigint,
  ${popularProductRank('id', PRODUCT_STREAM.firstLine, listedProducts('$6::bigint', 't_us'))},
  ${orderQuantity('id')},
  ${statusAsStored('status', 'id')},
  $2::timestamptz + interval '1 microsecond' * t_us,
  -- The last change (payment, shipping, delivery) follows creation by a status-typical delay,
  -- cut off at the end of the window: the snapshot is taken before anything later happened.
  $2::timestamptz + interval '1 microsecond' * (t_us + ${randomInt(
    'id',
    STREAM.updateDelay,
    `least(case status when 'pending' then ${15 * MINUTE} when 'shipped' then ${2 * MICROS_PER_DAY} when 'delivered' then ${5 * MICROS_PER_DAY} else ${MICROS_PER_DAY} end::bigint, $3::bigint - t_us)`,
  )})
from (
  select
    id,
    t_us,
    -- Older orders have moved on further; a few of every age were cancelled.
    ${weighted('id', STREAM.cancelled, [
      [5, `'cancelled'`],
      [
        95,
        `case
        when $3::bigint - t_us < ${MICROS_PER_DAY} then ${weighted('id', STREAM.statusByAge, [
          [80, `'pending'`],
          [20, `'shipped'`],
        ])}
        when $3::bigint - t_us < ${3 * MICROS_PER_DAY} then ${weighted('id', STREAM.statusByAge, [
          [15, `'pending'`],
          [60, `'shipped'`],
          [25, `'delivered'`],
        ])}
        else ${weighted('id', STREAM.statusByAge, [
          [1, `'pending'`],
          [6, `'shipped'`],
          [93, `'delivered'`],
        ])}
      end`,
      ],
    ])} as status
  from (
    select id, ${randomInt('id', STREAM.day, '$7::bigint')} * ${MICROS_PER_DAY}::bigint + ${timeOfDayMicros('id')} as t_us
    from generate_series(1, $4::bigint) as g (id)
    offset 0
  ) as timed
  offset 0
) as aged`;
  return { text, values: [window.seed, window.startIso, window.spanMicros, counts.orders, counts.customers, counts.products, counts.days] };
}

/**
 * Inserts the lines of every order into `sales`, numbered in order of (order, line). Line 1
 * is the order's own product; the units add up to `orders.quantity`. Parameters: $1–$3 the
 * window, $4 the number of products.
 */
export function insertOrderLines(window: ShopWindow, products: number): Statement {
  const key = lineKey('o.id', 'l.n');
  const text = `
insert into public.sales (id, order_id, product_id, quantity, unit_price, discount, created_at, updated_at)
select
  o.lines_before + l.n,
  o.id,
  p.id,
  ${lineQuantity(key)},
  p.price,
  ${discountPercent(key)},
  o.created_at,
  -- A few lines are corrected later (quantity or discount fixed by customer service).
  o.created_at + interval '1 microsecond' * ${weighted(key, STREAM.lineCorrected, [
    [97, '0'],
    [3, randomInt(key, STREAM.lineCorrectedAfter, '$3::bigint - o.t_us')],
  ])}
from (
  -- A running total numbers the lines, which needs no sort of the lines themselves: the
  -- orders come in id order from their primary key, and the lines of one order follow.
  select id, product_id, created_at, t_us, lines,
    sum(lines) over (order by id rows between unbounded preceding and current row) - lines as lines_before
  from (
    select id, product_id, created_at, (extract(epoch from created_at - $2::timestamptz) * 1000000)::bigint as t_us,
      ${lineCount('id')} as lines
    from public.orders
  ) as counted
) as o
cross join lateral generate_series(1, o.lines) as l (n)
join public.products as p
  on p.id = case when l.n = 1 then o.product_id
    else ${popularProductRank(key, PRODUCT_STREAM.laterLines, listedProducts('$4::bigint', 'o.t_us'))} end`;
  return { text, values: [window.seed, window.startIso, window.spanMicros, products] };
}
