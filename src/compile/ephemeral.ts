// Ephemeral models have no relation: whoever refs one gets its SQL as a CTE named
// `__pgshift_eph__<name>`, prepended to the query (and merged into the query's own `with`).

import { ephemeralCteName } from './relation.js';

export interface EphemeralCte {
  readonly modelName: string;
  readonly sql: string;
}

// Leading whitespace and comments, then `with` (optionally `recursive`).
const LEADING_WITH = /^((?:\s+|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)*)with(\s+recursive)?\b/i;

/** Prepends the CTEs, in order (each may use the ones before it). */
export function injectEphemeralCtes(sql: string, ctes: readonly EphemeralCte[]): string {
  if (ctes.length === 0) return sql;
  const definitions = ctes.map((cte) => `${ephemeralCteName(cte.modelName)} as (\n${stripTrailingSemicolons(cte.sql).trim()}\n)`).join(',\n');
  const match = LEADING_WITH.exec(sql);
  if (match) {
    const [whole, lead = '', recursive = ''] = match;
    return `${lead}with${recursive} ${definitions},\n${sql.slice(whole.length).replace(/^[ \t]*\n?/, '')}`;
  }
  return `with ${definitions}\n${sql.replace(/^\s*\n/, '')}`;
}

/**
 * The ephemeral models `start` needs, dependencies first, each once. `refsOf` lists a
 * model's refs in order; `isEphemeral` tells which of them are inlined.
 */
export function ephemeralClosure(start: string, refsOf: (id: string) => readonly string[], isEphemeral: (id: string) => boolean): string[] {
  const order: string[] = [];
  const seen = new Set<string>();
  const visit = (id: string): void => {
    for (const ref of refsOf(id)) {
      if (!isEphemeral(ref) || seen.has(ref)) continue;
      seen.add(ref);
      visit(ref);
      order.push(ref);
    }
  };
  visit(start);
  return order;
}

function stripTrailingSemicolons(sql: string): string {
  return sql.replace(/[\s;]+$/, '');
}
