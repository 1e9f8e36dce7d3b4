// The one place identifiers become SQL. Values never do: they travel as parameters.

/** Quotes one identifier for PostgreSQL and Redshift by doubling embedded `"`. */
export function quoteIdent(name: string): string {
  if (name.length === 0) throw new Error('an SQL identifier cannot be empty');
  if (name.includes('\u0000')) throw new Error(`an SQL identifier cannot contain a NUL byte: ${JSON.stringify(name)}`);
  return `"${name.replaceAll('"', '""')}"`;
}

/** Quotes `schema.table` (or any dotted path given as parts). */
export function quoteQualified(...parts: string[]): string {
  return parts.map(quoteIdent).join('.');
}

/**
 * Quotes a string literal, for the few places SQL has no parameters (DDL defaults, PostgreSQL
 * only). Doubles `'`, relying on standard_conforming_strings. Redshift reads backslashes in
 * literals as escapes, so Redshift SQL uses redshiftLiteral() (which refuses them) instead.
 */
export function quoteLiteral(value: string): string {
  if (value.includes('\u0000')) throw new Error('an SQL literal cannot contain a NUL byte');
  return `'${value.replaceAll("'", "''")}'`;
}
