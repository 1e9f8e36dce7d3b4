// SQL fragments both the initial load and the simulated days use, so an order looks the same
// however it was made: its daily rhythm, its lines, quantities, discounts and status spelling.

import { randomInt, uniform, weighted } from './shop-random.js';

/** The time window the data covers; generating statements take it as parameters $1–$3. */
export interface ShopWindow {
  /** $1: the seed every random stream derives from. */
  readonly seed: number;
  /** $2: start of the window, an ISO timestamp in UTC, so the session's TimeZone cannot move it. */
  readonly startIso: string;
  /** $3: length of the window in microseconds; timestamps are `start + [0, length)` µs. */
  readonly spanMicros: number;
}

export interface Statement {
  readonly text: string;
  readonly values: unknown[];
}

export const MICROS_PER_HOUR = 3_600_000_000;
export const MICROS_PER_DAY = 24 * MICROS_PER_HOUR;

/** Random streams 0–99 belong to these shared fragments; each generator numbers its own above. */
const STREAM = {
  dayPart: 1,
  background: 2,
  peakA: 3,
  peakB: 4,
  lineCount: 5,
  lineQuantity: 6,
  missingQuantity: 7,
  popularProduct: 8,
  statusSpelling: 9,
  discount: 10,
  largeLineQuantity: 11,
  laterLineProduct: 12,
} as const;

/**
 * Microseconds after midnight UTC, in [0, 24 h), with a shop's daily rhythm: a fifth of the
 * orders at any hour, the rest around lunch (11:00 UTC) and the evening (18:30 UTC), i.e.
 * noon and 20:00 in Berlin. The peaks are triangular (sum of two uniforms), ±3.5 h wide.
 */
export function timeOfDayMicros(key: string): string {
  const peak = (centreHours: number) =>
    `(${centreHours * MICROS_PER_HOUR}::bigint + floor((${uniform(key, STREAM.peakA)} + ${uniform(key, STREAM.peakB)} - 1) * ${3.5 * MICROS_PER_HOUR})::bigint)`;
  return weighted(key, STREAM.dayPart, [
    [20, randomInt(key, STREAM.background, MICROS_PER_DAY)],
    [35, peak(11)],
    [45, peak(18.5)],
  ]);
}

/** Number of lines of an order: 1 (65 %), 2 (25 %), 3 or 4 (5 % each); 1.5 on average. */
export function lineCount(orderId: string): string {
  return weighted(orderId, STREAM.lineCount, [
    [65, '1'],
    [25, '2'],
    [5, '3'],
    [5, '4'],
  ]);
}

/** Key of line `n` of an order: unique as long as an order has fewer than 8 lines. */
export function lineKey(orderId: string, lineNumber: string | number): string {
  return `(${orderId} * 8 + ${lineNumber})`;
}

/** Units on one order line: mostly 1 or 2, rarely up to 6. */
export function lineQuantity(key: string): string {
  return weighted(key, STREAM.lineQuantity, [
    [60, '1'],
    [25, '2'],
    [10, '3'],
    [5, `(4 + ${randomInt(key, STREAM.largeLineQuantity, 3)})::int`],
  ]);
}

/**
 * `orders.quantity`: the units over all of the order's lines, or NULL for the 2 % of orders
 * the legacy checkout wrote without it. Built from the same line fragments as `sales`, so the
 * two tables agree wherever the order has a quantity.
 */
export function orderQuantity(orderId: string): string {
  const lines = lineCount(orderId);
  const total = [1, 2, 3, 4]
    .map((n) => (n === 1 ? lineQuantity(lineKey(orderId, 1)) : `(case when ${lines} >= ${n} then ${lineQuantity(lineKey(orderId, n))} else 0 end)`))
    .join(' + ');
  return weighted(orderId, STREAM.missingQuantity, [
    [98, `(${total})::int`],
    [2, 'null::int'],
  ]);
}

/**
 * A product rank in [1, n] where low ranks sell more (u² skew: the first tenth of the
 * catalogue takes about a third of the sales), like the bestsellers of a real shop.
 */
export function popularProductRank(key: string, stream: number, n: string): string {
  return `(1 + floor(power(${uniform(key, stream)}, 2) * (${n}))::bigint)`;
}

export const PRODUCT_STREAM = { firstLine: STREAM.popularProduct, laterLines: STREAM.laterLineProduct } as const;

/**
 * A canonical status (`pending`, `shipped`, `delivered`, `cancelled`) as the application
 * stores it: mostly lower case, sometimes capitalised or shouted, sometimes with a stray
 * space. `status` must be a plain column reference: the fragment repeats it.
 */
export function statusAsStored(status: string, key: string): string {
  return weighted(key, STREAM.statusSpelling, [
    [55, status],
    [20, `initcap(${status})`],
    [10, `upper(${status})`],
    [6, `' ' || initcap(${status})`],
    [5, `upper(${status}) || ' '`],
    [4, `${status} || ' '`],
  ]);
}

/** Percent off the unit price: none on most lines, 5–25 % on a few, 50 % on clearance. */
export function discountPercent(key: string): string {
  return `(${weighted(key, STREAM.discount, [
    [70, '0'],
    [10, '5'],
    [8, '10'],
    [5, '15'],
    [4, '20'],
    [2, '25'],
    [1, '50'],
  ])})::numeric(5,2)`;
}
