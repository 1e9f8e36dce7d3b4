// `in ($1, $2, …)` lists for catalog queries: both warehouses take one parameter per value
// (the Data API has no array parameters), so the same query text serves both.

/** Placeholders for `count` values, numbered from `first`. */
export function placeholders(count: number, first = 1): string {
  return Array.from({ length: count }, (_, index) => `$${first + index}`).join(', ');
}
