// What the strict emulator refuses or changes because Redshift does, checked on a statement's
// tokens before it is translated for PostgreSQL. Each rule names the AWS page it follows.

import { checkReservedColumnNames, checkReservedWords } from './reserved-words.js';
import { stringValue, tokenize } from './sql-tokenizer.js';
import type { TokenCursor } from './token-cursor.js';

/** A statement Redshift would refuse; the runner reports it as the statement's error. */
export class RedshiftRefusal extends Error {
  override name = 'RedshiftRefusal';
}

/**
 * Identifier case folding. With enable_case_sensitive_identifier at its default (false),
 * Redshift does not preserve the case of names even inside double quotes: `"MixedCasedTable2"`
 * and `MixedCasedTable2` are the same table, `mixedcasedtable2`.
 * https://docs.aws.amazon.com/redshift/latest/dg/r_enable_case_sensitive_identifier.html
 * https://docs.aws.amazon.com/redshift/latest/dg/r_names.html
 * (User names in double quotes keep their case; the emulator's identities are lower case.)
 */
export function foldQuotedIdentifiers(sql: string): string {
  if (!sql.includes('"')) return sql;
  return tokenize(sql)
    .map((token) => (token.kind === 'quoted-ident' && token.text.startsWith('"') ? token.text.toLowerCase() : token.text))
    .join('');
}

export function checkStatement(cursor: TokenCursor): void {
  checkReservedWords(cursor);
  checkReservedColumnNames(cursor);
  checkNestedWith(cursor);
  checkDecimalSpecials(cursor);
  checkCreateTableConstraints(cursor);
}

/**
 * DECIMAL is a 128-bit integer with a scale (https://docs.aws.amazon.com/redshift/latest/dg/r_Numeric_types201.html):
 * it has no NaN or ±Infinity, which PostgreSQL's numeric accepts. Literals cast to it are refused
 * here (`'NaN'::numeric`, `numeric 'Infinity'`, `cast('-inf' as decimal)`); COPY refuses them in
 * redshift-csv-reencoder.ts.
 */
function checkDecimalSpecials(cursor: TokenCursor): void {
  const at = (p: number) => cursor.tokens[cursor.significant[p]!];
  const word = (p: number) => {
    const token = at(p);
    return token?.kind === 'word' ? token.text.toLowerCase() : undefined;
  };
  const isDecimal = (p: number) => ['numeric', 'decimal', 'dec'].includes(word(p) ?? '');
  for (let p = 0; p < cursor.significant.length; p++) {
    const token = at(p)!;
    if (token.kind !== 'string' || !/^\s*[+-]?(nan|inf|infinity)\s*$/i.test(stringValue(token))) continue;
    const cast = at(p + 1)?.kind === 'cast' && isDecimal(p + 2);
    const prefixed = p > 0 && isDecimal(p - 1);
    const castCall = p > 1 && word(p - 2) === 'cast' && word(p + 1) === 'as' && isDecimal(p + 2);
    if (cast || prefixed || castCall) throw new RedshiftRefusal(`invalid input syntax for type numeric: "${stringValue(token)}"`);
  }
}

/**
 * "You can't specify another WITH clause inside a WITH clause subquery."
 * https://docs.aws.amazon.com/redshift/latest/dg/r_WITH_clause.html (usage notes)
 * A WITH that opens a query inside the parentheses of a common table expression is refused.
 */
function checkNestedWith(cursor: TokenCursor): void {
  const word = (p: number): string | undefined => {
    const token = cursor.tokens[cursor.significant[p]!];
    return token?.kind === 'word' ? token.text.toLowerCase() : undefined;
  };
  const punct = (p: number, text: string): boolean => {
    const token = cursor.tokens[cursor.significant[p]!];
    return token?.kind === 'punct' && token.text === text;
  };
  const isName = (p: number): boolean => {
    const token = cursor.tokens[cursor.significant[p]!];
    return token?.kind === 'word' || token?.kind === 'quoted-ident';
  };
  /** Where the bodies of the WITH clause starting at `p` open and close. */
  const cteBodies = (p: number): { open: number; close: number }[] => {
    const bodies: { open: number; close: number }[] = [];
    let q = p + 1;
    if (word(q) === 'recursive') q++;
    for (;;) {
      if (!isName(q)) return bodies;
      q++;
      if (punct(q, '(')) {
        const closeColumns = cursor.matchingParen(q);
        if (closeColumns === undefined) return bodies;
        q = closeColumns + 1;
      }
      if (word(q) !== 'as' || !punct(q + 1, '(')) return bodies;
      const close = cursor.matchingParen(q + 1);
      if (close === undefined) return bodies;
      bodies.push({ open: q + 1, close });
      q = close + 1;
      if (!punct(q, ',')) return bodies;
      q++;
    }
  };
  for (let p = 0; p < cursor.significant.length; p++) {
    if (word(p) !== 'with') continue;
    for (const body of cteBodies(p)) {
      for (let inner = body.open + 1; inner < body.close; inner++) {
        if (word(inner) === 'with' && cteBodies(inner).length > 0) {
          throw new RedshiftRefusal('syntax error at or near "with": You can\'t specify another WITH clause inside a WITH clause subquery');
        }
      }
    }
  }
}

// GRANT/REVOKE on tables: the privileges Redshift documents for tables, and DROP, which it has and
// PostgreSQL lacks. https://docs.aws.amazon.com/redshift/latest/dg/r_GRANT.html lists SELECT,
// INSERT, UPDATE, DELETE, DROP and REFERENCES; r_TRUNCATE.html grants TRUNCATE the same way; the
// privileges SVV_RELATION_PRIVILEGES can show are "INSERT, SELECT, UPDATE, DELETE, REFERENCES, or
// DROP" (https://docs.aws.amazon.com/redshift/latest/dg/r_SVV_RELATION_PRIVILEGES.html). ALTER is
// a datashare privilege (GRANT { ALTER | SHARE } ON DATASHARE) and a scoped or system permission,
// not one pgshift can rely on for a single table, so the strict emulator refuses it, as it refuses
// PostgreSQL-only ones (TRIGGER, MAINTAIN).
const TABLE_PRIVILEGES = new Set(['select', 'insert', 'update', 'delete', 'drop', 'references', 'truncate', 'all', 'privileges']);

/**
 * For GRANT/REVOKE … ON [TABLE] t | ALL TABLES IN SCHEMA s: refuses an undocumented privilege and
 * returns the statement without DROP (kept only by Redshift), or 'noop' when DROP was all of it.
 */
export function tableGrant(cursor: TokenCursor, sql: string): string | 'noop' | undefined {
  const token = (p: number) => cursor.tokens[cursor.significant[p]!];
  const word = (p: number) => {
    const t = token(p);
    return t?.kind === 'word' ? t.text.toLowerCase() : undefined;
  };
  const first = word(0);
  if (first !== 'grant' && first !== 'revoke') return undefined;
  let p = 1;
  if (first === 'revoke' && word(1) === 'grant' && word(2) === 'option' && word(3) === 'for') p = 4;
  const privileges: { word: string; at: number }[] = [];
  for (; p < cursor.significant.length && word(p) !== 'on'; p++) {
    const t = token(p)!;
    if (t.kind === 'punct' && t.text === ',') continue;
    // Column lists (GRANT SELECT (a, b) ON t) are left to PostgreSQL.
    if (t.kind !== 'word') return undefined;
    privileges.push({ word: t.text.toLowerCase(), at: p });
  }
  if (word(p) !== 'on') return undefined;
  const target = word(p + 1);
  const onTables =
    target === 'table' ||
    (target === 'all' && word(p + 2) === 'tables') ||
    !['schema', 'database', 'function', 'procedure', 'language', 'datashare', 'all', 'model', 'column'].includes(target ?? '');
  if (!onTables) return undefined;
  for (const privilege of privileges) {
    if (!TABLE_PRIVILEGES.has(privilege.word)) {
      throw new RedshiftRefusal(`syntax error at or near "${privilege.word}": ${privilege.word.toUpperCase()} is not a privilege GRANT documents for tables`);
    }
  }
  const kept = privileges.filter((privilege) => privilege.word !== 'drop');
  if (kept.length === privileges.length) return undefined;
  if (kept.length === 0) return 'noop';
  const start = token(privileges[0]!.at)!.start;
  const end = token(p)!.start;
  return `${sql.slice(0, start)}${kept.map((privilege) => privilege.word).join(', ')} ${sql.slice(end)}`;
}

// CREATE TABLE constraints Redshift does not have. Its grammar lists NOT NULL, NULL, UNIQUE,
// PRIMARY KEY and REFERENCES for a column and UNIQUE, PRIMARY KEY and FOREIGN KEY for the table;
// CHECK is in neither, so a CHECK constraint is a syntax error there, while PostgreSQL, which
// runs the emulated statement, would accept and enforce it.
// https://docs.aws.amazon.com/redshift/latest/dg/r_CREATE_TABLE_NEW.html
// https://docs.aws.amazon.com/redshift/latest/dg/t_Defining_constraints.html

function checkCreateTableConstraints(cursor: TokenCursor): void {
  const at = (p: number) => cursor.tokens[cursor.significant[p]!];
  const word = (p: number) => {
    const token = at(p);
    return token?.kind === 'word' ? token.text.toLowerCase() : undefined;
  };
  const punct = (p: number, text: string) => {
    const token = at(p);
    return token?.kind === 'punct' && token.text === text;
  };
  if (word(0) !== 'create') return;
  let p = 1;
  while (['temp', 'temporary', 'local'].includes(word(p) ?? '')) p++;
  if (word(p) !== 'table') return;
  // The column list is the first parenthesis after the table's name (CREATE TABLE AS has none before AS).
  for (p++; p < cursor.significant.length && !punct(p, '('); p++) if (word(p) === 'as') return;
  const close = cursor.matchingParen(p);
  if (close === undefined) return;
  let depth = 0;
  for (let q = p + 1; q < close; q++) {
    if (punct(q, '(')) depth++;
    else if (punct(q, ')')) depth--;
    else if (depth === 0 && word(q) === 'check') throw new RedshiftRefusal('syntax error at or near "check"');
  }
}
