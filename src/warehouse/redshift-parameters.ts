// Turns pgshift's `$1…$n` placeholders into what the Data API can carry.
//
// ExecuteStatement takes named parameters (`:p1`): every value travels as a non-empty string, so
// NULL and '' are inlined instead (the Data API reads a parameter value `null` as the string
// 'null' and refuses a zero-length value; "Running SQL statements with parameters" in
// https://docs.aws.amazon.com/redshift/latest/mgmt/data-api-calling.html).
//
// BatchExecuteStatement is given no Parameters at all: whether the service skips `:name` inside
// a string literal (a COPY's `iam_role 'arn:aws:iam::…:role/…'`) is undocumented, so the values
// of a batch are written into its SQL as literals by redshiftValueLiteral(), the one place that
// turns a value into Redshift SQL text.
// https://docs.aws.amazon.com/redshift-data/latest/APIReference/API_BatchExecuteStatement.html

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
  const out = rewritePlaceholders(sql, params, (number) => {
    const text = used.has(number) ? used.get(number)! : parameterText(params[number - 1], number);
    used.set(number, text);
    return text === null ? 'NULL' : text === '' ? "''" : `:${prefix}${number}`;
  });
  const parameters: SqlParameter[] = [];
  for (const [number, text] of [...used].sort(([a], [b]) => a - b)) {
    if (text !== null && text !== '') parameters.push({ name: `${prefix}${number}`, value: text });
  }
  return { sql: out, parameters };
}

/**
 * Writes each `$n` as a Redshift literal of its value, for BatchExecuteStatement, which is sent
 * without Parameters (see the top of this file).
 */
export function inlineRedshiftValues(sql: string, params: readonly unknown[] = []): string {
  return rewritePlaceholders(sql, params, (number) => redshiftValueLiteral(params[number - 1], number));
}

/**
 * A value as Redshift SQL text that reads the same whatever Redshift does with backslashes.
 * Redshift descends from PostgreSQL 8.0, whose literals read a backslash as an escape, and its
 * literal docs do not settle the point, so a string keeps no backslash inside quotes: each one
 * becomes `chr(92)` concatenated between the quoted pieces (CHR: https://docs.aws.amazon.com/redshift/latest/dg/r_CHR.html; the `||`
 * operator: https://docs.aws.amazon.com/redshift/latest/dg/r_concat_op.html). `'` is doubled.
 */
export function redshiftValueLiteral(value: unknown, number = 1): string {
  const text = parameterText(value, number);
  if (text === null) return 'NULL';
  if (typeof value === 'number' && Number.isFinite(value)) return text;
  if (typeof value === 'bigint') return text;
  if (typeof value === 'boolean') return text;
  return redshiftStringLiteral(text);
}

/** `'…'` with `'` doubled and every backslash outside the quotes as chr(92). */
export function redshiftStringLiteral(text: string): string {
  if (text.includes('\u0000')) throw new WarehouseError('a Redshift string literal cannot contain a NUL byte', {});
  const pieces = text.split('\\').map((piece) => `'${piece.replaceAll("'", "''")}'`);
  return pieces.length === 1 ? pieces[0]! : `(${pieces.join(' || chr(92) || ')})`;
}

function rewritePlaceholders(sql: string, params: readonly unknown[], replace: (number: number) => string): string {
  const used = new Set<number>();
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
    used.add(number);
    out += replace(number);
    i += placeholder[0].length;
  }
  if (used.size !== params.length) {
    const unused = params.map((_, index) => index + 1).filter((number) => !used.has(number));
    // PostgreSQL refuses surplus parameters too; a silent extra value usually means a wrong SQL text.
    throw new WarehouseError(`parameter(s) ${unused.map((n) => `$${n}`).join(', ')} are not used by the statement`, {});
  }
  return out;
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
    throw new WarehouseError(`$${number} is binary; the Data API takes only text parameters, so pass it as hex text and convert it in SQL`, {
      placeholder: `$${number}`,
    });
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
