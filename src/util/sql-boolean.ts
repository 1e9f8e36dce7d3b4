// A boolean column as the warehouses hand it back: pg gives true/false, the Data API may give
// 't'/'f', 'true'/'false' or 1/0 depending on the statement.

export function isSqlTrue(value: unknown): boolean {
  return value === true || value === 't' || value === 'true' || value === 1;
}
