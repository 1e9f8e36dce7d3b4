// Chooses source tables for `extract`/`load` from dbt-style selectors: `shop.orders`,
// `source:shop.orders`, `source:shop`, `orders`, with `*` wildcards. A name with spaces,
// capitals or dots is written as in pgshift.yml when it is the whole flag value
// (`--select 'app.Order Lines'`), or double-quoted inside a longer one (`app."Order Lines"`).
// Unknown names are errors.

import type { SourceTable } from '../config/project.js';
import { ConfigError } from '../errors.js';
import { hasQuotes, type NamePart, splitDottedName, splitOutsideQuotes } from '../util/quoted-names.js';

/** A whole flag value that is a table's id, or one term of a value split on spaces and commas. */
type SelectTerm = { readonly exact: SourceTable; readonly term?: undefined } | { readonly exact?: undefined; readonly term: string };

export function selectTables(tables: readonly SourceTable[], select: readonly string[], exclude: readonly string[] = []): SourceTable[] {
  const byId = new Map(tables.map((table) => [table.id, table]));
  const terms = (values: readonly string[]): SelectTerm[] =>
    values.flatMap((value): SelectTerm[] => {
      const exact = byId.get(value.trim().replace(/^source:/, ''));
      return exact ? [{ exact }] : splitOutsideQuotes(value, ' \t\r\n,').map((term) => ({ term }));
    });
  const matching = (item: SelectTerm, flag: string): SourceTable[] => {
    if (item.exact) return [item.exact];
    const term = item.term;
    const pattern = term.replace(/^source:/, '');
    const found = tables.filter((table) => (hasQuotes(pattern) ? quotedMatch(splitDottedName(pattern), table) : globMatches(pattern, table)));
    if (found.length === 0) {
      throw new ConfigError(`${flag} ${term}: no source table matches (tables: ${tables.map((table) => table.id).join(', ')})`);
    }
    return found;
  };
  const selected = select.length === 0 ? [...tables] : terms(select).flatMap((item) => matching(item, '--select'));
  const excluded = new Set(
    terms(exclude)
      .flatMap((item) => matching(item, '--exclude'))
      .map((table) => table.id),
  );
  const unique = new Map(selected.filter((table) => !excluded.has(table.id)).map((table) => [table.id, table]));
  return [...unique.values()];
}

function globMatches(pattern: string, table: SourceTable): boolean {
  const regex = globRegex(pattern);
  return regex.test(table.id) || regex.test(table.source) || regex.test(table.name);
}

/** `app."Order Lines"`: source and table part by part; one part names a source or a table. */
function quotedMatch(parts: readonly NamePart[], table: SourceTable): boolean {
  const part = (name: NamePart, text: string) => (name.quoted ? name.text === text : globRegex(name.text).test(text));
  if (parts.length === 1) return part(parts[0]!, table.source) || part(parts[0]!, table.name);
  return parts.length === 2 && part(parts[0]!, table.source) && part(parts[1]!, table.name);
}

function globRegex(pattern: string): RegExp {
  return new RegExp(`^${pattern.split('*').map(escapeRegex).join('.*')}$`);
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
