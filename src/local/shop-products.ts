// The statement that fills `products`: a catalogue across six categories with shop-like
// prices (19.99, 4.49, 129.00) inside each category's range.

import type { ShopWindow, Statement } from './shop-expressions.js';
import { MICROS_PER_HOUR } from './shop-expressions.js';
import { pick, randomInt, uniform, weighted } from './shop-random.js';
import { CATALOGUE, PRODUCT_ADJECTIVES } from './shop-vocabulary.js';

/** Random streams 200–299. */
const STREAM = {
  entry: 200,
  adjective: 201,
  price: 202,
  priceEnding: 203,
  updated: 204,
  updatedAfter: 205,
  listed: 206,
} as const;

/** The whole catalogue is online within the window's first hour; orders only pick listed products. */
export const CATALOGUE_LISTING_MICROS = MICROS_PER_HOUR;

/**
 * Inserts products 1..count; product `id` is listed within the slot `[id - 1, id) / count` of
 * the first hour, so ids follow listing order.
 * Parameters: $1–$3 the window, $4 the count, $5… the catalogue.
 */
export function insertProducts(window: ShopWindow, count: number): Statement {
  const text = `
insert into public.products (id, name, category, price, created_at, updated_at)
select
  id,
  ${pick('id', STREAM.adjective, '$5::text[]')} || ' ' || ($7::text[])[entry],
  ($6::text[])[entry],
  -- Cheap items are common: u² puts most prices near the bottom of the category's range.
  (floor(($8::int[])[entry] + power(${uniform('id', STREAM.price)}, 2) * (($9::int[])[entry] - ($8::int[])[entry]))
    + ${weighted('id', STREAM.priceEnding, [
      [60, '0.99'],
      [15, '0.49'],
      [25, '0'],
    ])})::numeric(10,2),
  $2::timestamptz + interval '1 microsecond' * created_us,
  $2::timestamptz + interval '1 microsecond' * (created_us + ${weighted('id', STREAM.updated, [
    [70, '0'],
    [30, randomInt('id', STREAM.updatedAfter, '$3::bigint - created_us')],
  ])})
from (
  select
    id,
    1 + ${randomInt('id', STREAM.entry, CATALOGUE.length)}::int as entry,
    -- Product 1 is listed at the window's start, each later one within its slot of the hour.
    case when id = 1 then 0::bigint
      else floor((id - 1 + ${uniform('id', STREAM.listed)}) * ${CATALOGUE_LISTING_MICROS}::float8 / $4::bigint::float8)::bigint end as created_us
  from generate_series(1, $4::bigint) as g (id)
  offset 0
) as picked`;
  const values = [
    window.seed,
    window.startIso,
    window.spanMicros,
    count,
    [...PRODUCT_ADJECTIVES],
    CATALOGUE.map((entry) => entry.category),
    CATALOGUE.map((entry) => entry.noun),
    CATALOGUE.map((entry) => entry.minPrice),
    CATALOGUE.map((entry) => entry.maxPrice),
  ];
  return { text, values };
}
