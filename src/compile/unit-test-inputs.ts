// A unit test's given inputs in the rendered SQL: ref(), source() and `this` of a given node
// render the name of a CTE holding its rows, and the query starts with those CTEs, as dbt
// renders them. https://docs.getdbt.com/docs/build/unit-tests

import { quoteIdent } from '../sql/quote-ident.js';
import { FixedRelation } from './relation.js';

const GIVEN_PREFIX = '__pgshift_given__';

/** `model.shop.stg_orders` → `__pgshift_given__stg_orders`; `source.shop.orders` → `__pgshift_given__shop__orders`. */
export function givenCteName(uniqueId: string): string {
  const [kind, ...rest] = uniqueId.split('.');
  return `${GIVEN_PREFIX}${(kind === 'source' ? rest : rest.slice(1)).join('__')}`;
}

/** What source() returns for a given source: renders the CTE's name, still reads as the table. */
export function givenRelation(uniqueId: string, tableName: string): FixedRelation {
  return Object.assign(new FixedRelation('', tableName), {
    render: () => quoteIdent(givenCteName(uniqueId)),
    toString: () => quoteIdent(givenCteName(uniqueId)),
  });
}

// Leading whitespace and comments, then `with` (optionally `recursive`), as in ephemeral.ts.
const LEADING_WITH = /^((?:\s+|--[^\n]*(?:\n|$)|\/\*[\s\S]*?\*\/)*)with(\s+recursive)?\b/i;

/** Prepends the given inputs' CTEs, before the query's own (which may read them). */
export function withGivenInputs(sql: string, given: Readonly<Record<string, string>>): string {
  const ids = Object.keys(given).sort();
  if (ids.length === 0) return sql;
  const definitions = ids.map((id) => `${quoteIdent(givenCteName(id))} as (\n${given[id]}\n)`).join(',\n');
  const match = LEADING_WITH.exec(sql);
  if (!match) return `with ${definitions}\n${sql.replace(/^\s*\n/, '')}`;
  const [whole, lead = '', recursive = ''] = match;
  return `${lead}with${recursive} ${definitions},\n${sql.slice(whole.length).replace(/^[ \t]*\n?/, '')}`;
}
