// Splits SQL into tokens the way PostgreSQL's lexer would, so every rewrite the emulator makes
// (parameters, Redshift-only clauses, COPY options) can skip literals, quoted names and comments.

export type TokenKind =
  | 'space'
  | 'comment'
  | 'word'
  | 'quoted-ident'
  | 'string'
  | 'dollar-string'
  | 'number'
  | 'param' // :name, a Data API named parameter
  | 'positional' // $1
  | 'cast' // ::
  | 'punct';

export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
  readonly start: number;
}

const WORD_START = /[A-Za-z_\u0080-\uffff]/;
const WORD_PART = /[A-Za-z0-9_$\u0080-\uffff]/;
const DIGIT = /[0-9]/;

export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const push = (kind: TokenKind, end: number): void => {
    tokens.push({ kind, text: sql.slice(i, end), start: i });
    i = end;
  };
  while (i < sql.length) {
    const c = sql[i]!;
    const next = sql[i + 1];
    if (/\s/.test(c)) {
      let end = i + 1;
      while (end < sql.length && /\s/.test(sql[end]!)) end++;
      push('space', end);
    } else if (c === '-' && next === '-') {
      const newline = sql.indexOf('\n', i);
      push('comment', newline === -1 ? sql.length : newline);
    } else if (c === '/' && next === '*') {
      push('comment', blockCommentEnd(sql, i));
    } else if (c === "'") {
      push('string', quotedEnd(sql, i, "'", false));
    } else if (c === '"') {
      push('quoted-ident', quotedEnd(sql, i, '"', false));
    } else if (/[EeBbXxNn]/.test(c) && next === "'") {
      // E'' honours backslash escapes; B'', X'' and N'' are plain literals with a prefix.
      push('string', quotedEnd(sql, i + 1, "'", c === 'E' || c === 'e'));
    } else if ((c === 'U' || c === 'u') && next === '&' && (sql[i + 2] === "'" || sql[i + 2] === '"')) {
      const quote = sql[i + 2]!;
      push(quote === "'" ? 'string' : 'quoted-ident', quotedEnd(sql, i + 2, quote, false));
    } else if (WORD_START.test(c)) {
      let end = i + 1;
      while (end < sql.length && WORD_PART.test(sql[end]!)) end++;
      push('word', end);
    } else if (DIGIT.test(c) || (c === '.' && next !== undefined && DIGIT.test(next))) {
      push('number', numberEnd(sql, i));
    } else if (c === '$') {
      const dollar = dollarStringEnd(sql, i);
      if (dollar !== undefined) push('dollar-string', dollar);
      else if (next !== undefined && DIGIT.test(next)) {
        let end = i + 1;
        while (end < sql.length && DIGIT.test(sql[end]!)) end++;
        push('positional', end);
      } else push('punct', i + 1);
    } else if (c === ':' && next === ':') {
      push('cast', i + 2);
    } else if (c === ':' && next !== undefined && /[A-Za-z_]/.test(next)) {
      let end = i + 2;
      while (end < sql.length && /[A-Za-z0-9_]/.test(sql[end]!)) end++;
      push('param', end);
    } else {
      push('punct', i + 1);
    }
  }
  return tokens;
}

/** True for tokens that carry meaning (not whitespace or comments). */
export function isSignificant(token: Token): boolean {
  return token.kind !== 'space' && token.kind !== 'comment';
}

/** The word in lower case, or undefined when the token is not a bare word. */
export function keyword(token: Token | undefined): string | undefined {
  return token?.kind === 'word' ? token.text.toLowerCase() : undefined;
}

/** The value of a string literal token ('it''s' → it's), honouring E'' escapes. */
export function stringValue(token: Token): string {
  if (token.kind === 'dollar-string') {
    const tagEnd = token.text.indexOf('$', 1) + 1;
    return token.text.slice(tagEnd, token.text.length - tagEnd);
  }
  if (token.kind !== 'string') throw new Error(`not a string literal: ${token.text}`);
  const open = token.text.indexOf("'");
  const body = token.text.slice(open + 1, -1);
  const prefix = token.text.slice(0, open).toLowerCase();
  if (prefix === 'e') {
    return body.replace(/\\(.)|''/gs, (_match, escaped: string | undefined) => {
      if (escaped === undefined) return "'";
      return ({ n: '\n', t: '\t', r: '\r', b: '\b', f: '\f' } as Record<string, string>)[escaped] ?? escaped;
    });
  }
  return body.replaceAll("''", "'");
}

/** The name a word or quoted identifier denotes: bare words fold to lower case, as in PostgreSQL. */
export function identifierValue(token: Token): string {
  if (token.kind === 'word') return token.text.toLowerCase();
  if (token.kind === 'quoted-ident' && token.text.startsWith('"')) return token.text.slice(1, -1).replaceAll('""', '"');
  throw new Error(`not an identifier: ${token.text}`);
}

function blockCommentEnd(sql: string, start: number): number {
  // PostgreSQL block comments nest.
  let depth = 0;
  let i = start;
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

function quotedEnd(sql: string, openAt: number, quote: string, backslashEscapes: boolean): number {
  let i = openAt + 1;
  while (i < sql.length) {
    const c = sql[i];
    if (backslashEscapes && c === '\\') {
      i += 2;
    } else if (c === quote) {
      if (sql[i + 1] === quote) i += 2;
      else return i + 1;
    } else i++;
  }
  // Unterminated: the rest is the literal, and the server will report the syntax error.
  return sql.length;
}

function numberEnd(sql: string, start: number): number {
  const match = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(sql.slice(start));
  return start + (match ? match[0].length : 1);
}

function dollarStringEnd(sql: string, start: number): number | undefined {
  const tag = /^\$(?:[A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/.exec(sql.slice(start));
  if (!tag) return undefined;
  const close = sql.indexOf(tag[0], start + tag[0].length);
  return close === -1 ? sql.length : close + tag[0].length;
}
