// Dynamic SQL in a stored procedure (`EXECUTE 'select … from ' || quote_ident(s) || …`) only
// exists when the procedure runs, so the strict emulator routes every EXECUTE's text through
// pg_catalog.redshift_emulator_checked_sql, which refuses what Redshift's parser would (a
// reserved word as a bare name: https://docs.aws.amazon.com/redshift/latest/dg/r_pg_keywords.html).
// EXECUTE in PL/pgSQL: https://docs.aws.amazon.com/redshift/latest/dg/c_PLpgSQL-statements.html

import { isSignificant, tokenize, type Token } from './sql-tokenizer.js';
import type { TokenCursor } from './token-cursor.js';

const STATEMENT_STARTS = new Set(['begin', 'then', 'else', 'loop', 'declare']);

/** True for CREATE [OR REPLACE] PROCEDURE. */
export function isCreateProcedure(cursor: TokenCursor): boolean {
  const words = cursor.significant
    .slice(0, 4)
    .map((index) => cursor.tokens[index]!)
    .map((t) => (t.kind === 'word' ? t.text.toLowerCase() : ''));
  return words[0] === 'create' && (words[1] === 'procedure' || (words[1] === 'or' && words[2] === 'replace' && words[3] === 'procedure'));
}

/** The statement with each EXECUTE of its dollar-quoted body wrapped in the check. */
export function checkDynamicSql(sql: string): string {
  return tokenize(sql)
    .map((token) => (token.kind === 'dollar-string' ? rewriteBody(token) : token.text))
    .join('');
}

function rewriteBody(token: Token): string {
  const tagEnd = token.text.indexOf('$', 1) + 1;
  const tag = token.text.slice(0, tagEnd);
  const body = token.text.slice(tagEnd, token.text.length - tagEnd);
  const tokens = tokenize(body);
  const significant = tokens.flatMap((t, index) => (isSignificant(t) ? [index] : []));
  const out = tokens.map((t) => t.text);
  const word = (p: number): string | undefined => {
    const t = tokens[significant[p]!];
    return t?.kind === 'word' ? t.text.toLowerCase() : undefined;
  };
  const punct = (p: number, text: string): boolean => {
    const t = tokens[significant[p]!];
    return t?.kind === 'punct' && t.text === text;
  };
  for (let p = 0; p < significant.length; p++) {
    if (word(p) !== 'execute') continue;
    const startsStatement = p === 0 || punct(p - 1, ';') || STATEMENT_STARTS.has(word(p - 1) ?? '');
    if (!startsStatement) continue;
    let depth = 0;
    let end = p + 1;
    for (; end < significant.length; end++) {
      if (punct(end, '(')) depth++;
      else if (punct(end, ')')) depth--;
      else if (depth === 0 && (punct(end, ';') || word(end) === 'into' || word(end) === 'using')) break;
    }
    if (end === p + 1) continue;
    out[significant[p + 1]!] = `pg_catalog.redshift_emulator_checked_sql(${out[significant[p + 1]!]}`;
    out[significant[end - 1]!] = `${out[significant[end - 1]!]})`;
    p = end;
  }
  return `${tag}${out.join('')}${tag}`;
}
