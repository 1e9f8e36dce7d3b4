// Chooses source tables for `extract`/`load` from dbt-style selectors: `shop.orders`,
// `source:shop.orders`, `source:shop`, `orders`, with `*` wildcards. Unknown names are errors.

import type { SourceTable } from '../config/project.js';
import { ConfigError } from '../errors.js';

export function selectTables(tables: readonly SourceTable[], select: readonly string[], exclude: readonly string[] = []): SourceTable[] {
  const terms = (values: readonly string[]) => values.flatMap((value) => value.split(/[\s,]+/)).filter(Boolean);
  const matching = (term: string, flag: string): SourceTable[] => {
    const pattern = term.replace(/^source:/, '');
    const regex = new RegExp(`^${pattern.split('*').map(escapeRegex).join('.*')}$`);
    const found = tables.filter((table) => regex.test(table.id) || regex.test(table.source) || regex.test(table.name));
    if (found.length === 0) {
      throw new ConfigError(`${flag} ${term}: no source table matches (tables: ${tables.map((table) => table.id).join(', ')})`);
    }
    return found;
  };
  const selected = select.length === 0 ? [...tables] : terms(select).flatMap((term) => matching(term, '--select'));
  const excluded = new Set(
    terms(exclude)
      .flatMap((term) => matching(term, '--exclude'))
      .map((table) => table.id),
  );
  const unique = new Map(selected.filter((table) => !excluded.has(table.id)).map((table) => [table.id, table]));
  return [...unique.values()];
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
