// Ephemeral models have no relation: whoever refs one gets its SQL as a CTE named
// `__pgshift_eph__<name>`, prepended to the query (and merged into the query's own `with`).
// An ephemeral model that starts with its own `with` is flattened: Redshift refuses a WITH
// inside a WITH clause subquery ("You can't specify another WITH clause inside a WITH clause
// subquery", https://docs.aws.amazon.com/redshift/latest/dg/r_WITH_clause.html), so its CTEs
// move up beside it, renamed `__pgshift_eph__<model>__<cte>` so that two models' `source` or
// `final` CTEs do not collide, and its references to them are renamed with them.

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
  let recursiveNeeded = false;
  const definitions = ctes
    .flatMap((cte) => {
      const body = stripTrailingSemicolons(cte.sql).trim();
      const nested = splitLeadingWith(body);
      if (!nested) return [`${ephemeralCteName(cte.modelName)} as (\n${body}\n)`];
      recursiveNeeded ||= nested.recursive;
      const renames = new Map(nested.ctes.map((inner) => [inner.key, `${ephemeralCteName(cte.modelName)}__${inner.name}`]));
      return [
        ...nested.ctes.map((inner) => `${quoteIfNeeded(renames.get(inner.key)!)}${inner.columns} as (${renameReferences(inner.body, renames)})`),
        `${ephemeralCteName(cte.modelName)} as (\n${renameReferences(nested.main, renames).trim()}\n)`,
      ];
    })
    .join(',\n');
  const match = LEADING_WITH.exec(sql);
  if (match) {
    const [whole, lead = '', recursive = ''] = match;
    return `${lead}with${recursive || (recursiveNeeded ? ' recursive' : '')} ${definitions},\n${sql.slice(whole.length).replace(/^[ \t]*\n?/, '')}`;
  }
  return `with${recursiveNeeded ? ' recursive' : ''} ${definitions}\n${sql.replace(/^\s*\n/, '')}`;
}

interface InnerCte {
  /** How references find it: the lower-cased name when unquoted, the exact name when quoted. */
  readonly key: string;
  readonly name: string;
  /** ` (a, b)` or ''. */
  readonly columns: string;
  readonly body: string;
}

/** `with [recursive] a as (…), b (x) as (…) <main>` taken apart, or undefined without a leading with. */
export function splitLeadingWith(sql: string): { recursive: boolean; ctes: InnerCte[]; main: string } | undefined {
  const match = LEADING_WITH.exec(sql);
  if (!match) return undefined;
  let at = match[0].length;
  const ctes: InnerCte[] = [];
  for (;;) {
    at = skipTrivia(sql, at);
    const name = readName(sql, at);
    if (!name) return undefined;
    at = skipTrivia(sql, name.end);
    let columns = '';
    if (sql[at] === '(') {
      const end = balancedEnd(sql, at);
      if (end < 0) return undefined;
      columns = ` ${sql.slice(at, end)}`;
      at = skipTrivia(sql, end);
    }
    const as = /^as\b/i.exec(sql.slice(at));
    if (!as) return undefined;
    at = skipTrivia(sql, at + 2);
    const materialized = /^(not\s+)?materialized\b/i.exec(sql.slice(at));
    if (materialized) at = skipTrivia(sql, at + materialized[0].length);
    if (sql[at] !== '(') return undefined;
    const end = balancedEnd(sql, at);
    if (end < 0) return undefined;
    ctes.push({ key: name.key, name: name.name, columns, body: sql.slice(at + 1, end - 1) });
    at = skipTrivia(sql, end);
    if (sql[at] !== ',') break;
    at++;
  }
  return { recursive: Boolean(match[2]), ctes, main: sql.slice(at) };
}

/** Renames references to the given CTEs: names not after a `.`, outside literals and comments. */
function renameReferences(sql: string, renames: ReadonlyMap<string, string>): string {
  let out = '';
  let at = 0;
  let previousSignificant = '';
  while (at < sql.length) {
    const opaque = opaqueEnd(sql, at);
    if (opaque > at) {
      const text = sql.slice(at, opaque);
      if (text.startsWith('"')) {
        const renamed = previousSignificant !== '.' ? renames.get(text.slice(1, -1).replaceAll('""', '"')) : undefined;
        out += renamed ? quoteIfNeeded(renamed) : text;
        previousSignificant = '"';
      } else {
        out += text;
        if (!/^(--|\/\*)/.test(text)) previousSignificant = "'";
      }
      at = opaque;
      continue;
    }
    const word = /^[A-Za-z_\u0080-\uffff][A-Za-z0-9_$\u0080-\uffff]*/.exec(sql.slice(at));
    if (word) {
      const renamed = previousSignificant !== '.' ? renames.get(word[0].toLowerCase()) : undefined;
      out += renamed ? quoteIfNeeded(renamed) : word[0];
      previousSignificant = 'w';
      at += word[0].length;
      continue;
    }
    const c = sql[at]!;
    out += c;
    if (!/\s/.test(c)) previousSignificant = c;
    at++;
  }
  return out;
}

function quoteIfNeeded(name: string): string {
  return /^[a-z_][a-z0-9_]*$/.test(name) ? name : `"${name.replaceAll('"', '""')}"`;
}

function readName(sql: string, at: number): { key: string; name: string; end: number } | undefined {
  if (sql[at] === '"') {
    const end = opaqueEnd(sql, at);
    const name = sql.slice(at + 1, end - 1).replaceAll('""', '"');
    return { key: name, name, end };
  }
  const word = /^[A-Za-z_\u0080-\uffff][A-Za-z0-9_$\u0080-\uffff]*/.exec(sql.slice(at));
  return word ? { key: word[0].toLowerCase(), name: word[0].toLowerCase(), end: at + word[0].length } : undefined;
}

function skipTrivia(sql: string, at: number): number {
  for (;;) {
    while (at < sql.length && /\s/.test(sql[at]!)) at++;
    if (sql.startsWith('--', at) || sql.startsWith('/*', at)) at = opaqueEnd(sql, at);
    else return at;
  }
}

/** Index just past the `)` matching the `(` at `open`, or -1. */
function balancedEnd(sql: string, open: number): number {
  let depth = 0;
  let at = open;
  while (at < sql.length) {
    const opaque = opaqueEnd(sql, at);
    if (opaque > at) {
      at = opaque;
      continue;
    }
    if (sql[at] === '(') depth++;
    else if (sql[at] === ')' && --depth === 0) return at + 1;
    at++;
  }
  return -1;
}

/** End of the literal, quoted name, comment or dollar-quoted body at `at`, or `at`. */
function opaqueEnd(sql: string, at: number): number {
  const c = sql[at];
  if (c === "'" || c === '"') {
    let i = at + 1;
    while (i < sql.length) {
      if (sql[i] === c) {
        if (sql[i + 1] === c) i += 2;
        else return i + 1;
      } else i++;
    }
    return sql.length;
  }
  if (sql.startsWith('--', at)) {
    const newline = sql.indexOf('\n', at);
    return newline < 0 ? sql.length : newline;
  }
  if (sql.startsWith('/*', at)) {
    const close = sql.indexOf('*/', at + 2);
    return close < 0 ? sql.length : close + 2;
  }
  if (c === '$' && (at === 0 || !/[A-Za-z0-9_$]/.test(sql[at - 1]!))) {
    const tag = /^\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(at));
    if (tag) {
      const close = sql.indexOf(tag[0], at + tag[0].length);
      return close < 0 ? sql.length : close + tag[0].length;
    }
  }
  return at;
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
