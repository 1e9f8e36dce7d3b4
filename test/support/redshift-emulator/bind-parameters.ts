// Turns the Data API's named parameters (`:name`) into PostgreSQL's positional `$n`, leaving
// `::type` casts and anything inside literals, quoted names and comments alone.

import { tokenize } from './sql-tokenizer.js';

export interface SqlParameter {
  name: string;
  value: string;
}

export interface BoundSql {
  text: string;
  values: string[];
}

export class MissingParameterError extends Error {
  override name = 'MissingParameterError';
  constructor(readonly parameter: string) {
    super(`no value was given for the parameter :${parameter}`);
  }
}

/**
 * Rewrites `:name` placeholders to `$1…$n` (one number per distinct name, in order of first use).
 * The Data API sends every value as a string and lets the server cast it from context, which is
 * what an untyped `$n` does in PostgreSQL.
 */
export function bindParameters(sql: string, parameters: readonly SqlParameter[] | undefined): BoundSql {
  if (!parameters || parameters.length === 0) return { text: sql, values: [] };
  const byName = new Map(parameters.map((parameter) => [parameter.name, parameter.value]));
  const numbers = new Map<string, number>();
  const values: string[] = [];
  let text = '';
  for (const token of tokenize(sql)) {
    if (token.kind !== 'param') {
      text += token.text;
      continue;
    }
    const name = token.text.slice(1);
    let number = numbers.get(name);
    if (number === undefined) {
      const value = byName.get(name);
      if (value === undefined) throw new MissingParameterError(name);
      values.push(value);
      number = values.length;
      numbers.set(name, number);
    }
    text += `$${number}`;
  }
  return { text, values };
}
