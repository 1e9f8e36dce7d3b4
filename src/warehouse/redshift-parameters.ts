// Turns pgshift's `$1…$n` placeholders into the Data API's named parameters (`:p1`). The Data
// API carries every value as a non-empty string, so NULL and '' travel inline instead.
//
// Why those two are inlined: the Data API reads a parameter value `null` as the string 'null'
// and refuses a zero-length value (https://docs.aws.amazon.com/redshift/latest/mgmt/data-api.html,
// "Running SQL statements with parameters"). `NULL` and `''` mean the same in every SQL dialect,
// so inlining them needs no escaping. Everything else stays a parameter: Redshift reads a
// backslash in an ordinary string literal as an escape (PostgreSQL 8 behaviour), so a value
// inlined with doubled quotes alone could change or end the literal early.

import type { SqlParameter } from '@aws-sdk/client-redshift-data';
import { WarehouseError } from '../errors.js';

export interface BoundStatement {
  readonly sql: string;
  readonly parameters: SqlParameter[];
}

/**
 * Rewrites `$n` outside literals, quoted names, comments and dollar-quoted bodies to
 * `:<prefix>n`. A prefix per statement (`s2_p`) keeps names unique across one batch.
 */
export function bindDataApiParameters(sql: string, params: readonly unknown[] = [], prefix = 'p'): BoundStatement {
  const used = new Map<number, string | null>();
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const skipped = skipOpaque(sql, i);
    if (skipped > i) {
      out += sql.slice(i, skipped);
      i = skipped;
      continue;
    }
    const placeholder = sql[i] === '$' && !continuesIdentifier(sql, i) ? /^\$(\d+)/.exec(sql.slice(i)) : null;
    if (!placeholder) {
      out += sql[i];
      i++;
      continue;
    }
    const number = Number(placeholder[1]);
    if (number < 1 || number > params.length) {
      throw new WarehouseError(`$${number} has no value: the statement was given ${params.length} parameter(s)`, { placeholder: `$${number}` });
    }
    const text = used.has(number) ? used.get(number)! : parameterText(params[number - 1], number);
    used.set(number, text);
    out += text === null ? 'NULL' : text === '' ? "''" : `:${prefix}${number}`;
    i += placeholder[0].length;
  }
  if (used.size !== params.length) {
    const unused = params.map((_, index) => index + 1).filter((number) => !used.has(number));
    // PostgreSQL refuses surplus parameters too; a silent extra value usually means a wrong SQL text.
    throw new WarehouseError(`parameter(s) ${unused.map((n) => `$${n}`).join(', ')} are not used by the statement`, {});
  }
  const parameters: SqlParameter[] = [];
  for (const [number, text] of [...used].sort(([a], [b]) => a - b)) {
    if (text !== null && text !== '') parameters.push({ name: `${prefix}${number}`, value: text });
  }
  return { sql: out, parameters };
}

/** The string the Data API sends for a value (Redshift casts it from context), or null for NULL. */
export function parameterText(value: unknown, number: number): string | null {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
      return Number.isNaN(value) ? 'NaN' : Number.isFinite(value) ? String(value) : value > 0 ? 'Infinity' : '-Infinity';
    case 'bigint':
      return value.toString();
    case 'boolean':
      return value ? 'true' : 'false';
    default:
      break;
  }
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) {
    throw new WarehouseError(`$${number} is binary; the Data API takes only text parameters, so pass it as hex text and convert it in SQL`, { placeholder: `$${number}` });
  }
  // Objects and arrays travel as JSON text, as node-postgres sends them.
  return JSON.stringify(value);
}

/** `$` inside a name (`a$1`) is part of the name, not a placeholder. */
function continuesIdentifier(sql: string, at: number): boolean {
  return at > 0 && /[A-Za-z0-9_$\u0080-\uffff]/.test(sql[at - 1]!);
}

/** End of the literal, quoted name, comment or dollar-quoted body starting at `at`, or `at`. */
function skipOpaque(sql: string, at: number): number {
  const c = sql[at]!;
  const next = sql[at + 1];
  // Redshift reads backslash escapes in every single-quoted literal, so `\'` does not end one.
  if (c === "'") return quotedEnd(sql, at, "'", true);
  if (c === '"') return quotedEnd(sql, at, '"', false);
  if (c === '-' && next === '-') {
    const newline = sql.indexOf('\n', at);
    return newline === -1 ? sql.length : newline;
  }
  if (c === '/' && next === '*') return blockCommentEnd(sql, at);
  if (c === '$' && !continuesIdentifier(sql, at)) {
    const tag = /^\$(?:[A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/.exec(sql.slice(at));
    if (tag) {
      const close = sql.indexOf(tag[0], at + tag[0].length);
      return close === -1 ? sql.length : close + tag[0].length;
    }
  }
  return at;
}

function quotedEnd(sql: string, open: number, quote: string, backslashEscapes: boolean): number {
  let i = open + 1;
  while (i < sql.length) {
    const c = sql[i];
    if (backslashEscapes && c === '\\') i += 2;
    else if (c === quote) {
      if (sql[i + 1] !== quote) return i + 1;
      i += 2;
    } else i++;
  }
  return sql.length;
}

function blockCommentEnd(sql: string, open: number): number {
  let depth = 0;
  let i = open;
  while (i < sql.length) {
    if (sql.startsWith('/*', i)) {
      depth++;
      i += 2;
    } else if (sql.startsWith('*/', i)) {
      depth--;
      i += 2;
      if (depth === 0) return i;
    } else i++;
  }
  return sql.length;
}
