// A read position over the significant tokens of one statement, shared by the SQL translator
// and the COPY parser so both read names and keywords the same way.

import { identifierValue, isSignificant, keyword, type Token, tokenize } from './sql-tokenizer.js';

export class TokenCursor {
  /** Every token, whitespace and comments included, so callers can rebuild the text. */
  readonly tokens: readonly Token[];
  /** Indexes into `tokens` of the significant ones. */
  readonly significant: readonly number[];
  position = 0;

  constructor(sql: string) {
    this.tokens = tokenize(sql);
    this.significant = this.tokens.flatMap((token, index) => (isSignificant(token) ? [index] : []));
  }

  get atEnd(): boolean {
    return this.position >= this.significant.length;
  }

  /** The significant token `offset` places from the current one. */
  peek(offset = 0): Token | undefined {
    const index = this.significant[this.position + offset];
    return index === undefined ? undefined : this.tokens[index];
  }

  /** The lower-cased keyword `offset` places ahead, or undefined if that token is not a bare word. */
  keyword(offset = 0): string | undefined {
    return keyword(this.peek(offset));
  }

  isPunct(text: string, offset = 0): boolean {
    const token = this.peek(offset);
    return token?.kind === 'punct' && token.text === text;
  }

  next(): Token | undefined {
    const token = this.peek();
    if (token) this.position++;
    return token;
  }

  /** Consumes the keyword sequence if it is next (case-insensitive); says whether it was. */
  accept(...words: string[]): boolean {
    if (!words.every((word, offset) => this.keyword(offset) === word)) return false;
    this.position += words.length;
    return true;
  }

  /** Reads `name` or `schema.name` (any depth); bare words fold to lower case. */
  readQualifiedName(): string[] | undefined {
    const parts: string[] = [];
    for (;;) {
      const token = this.peek();
      if (!token || (token.kind !== 'word' && token.kind !== 'quoted-ident')) return parts.length ? parts : undefined;
      parts.push(identifierValue(token));
      this.position++;
      if (!this.isPunct('.')) return parts;
      this.position++;
    }
  }

  /** Reads `(a, "B", c)` as names; undefined (and no move) when no list starts here. */
  readNameList(): string[] | undefined {
    if (!this.isPunct('(')) return undefined;
    const start = this.position;
    this.position++;
    const names: string[] = [];
    for (;;) {
      const token = this.next();
      if (!token || (token.kind !== 'word' && token.kind !== 'quoted-ident')) break;
      names.push(identifierValue(token));
      if (this.isPunct(')')) {
        this.position++;
        return names;
      }
      if (!this.isPunct(',')) break;
      this.position++;
    }
    this.position = start;
    return undefined;
  }

  /** Position (in significant tokens) of the `)` matching the `(` at `openAt`. */
  matchingParen(openAt: number): number | undefined {
    let depth = 0;
    for (let p = openAt; p < this.significant.length; p++) {
      const token = this.tokens[this.significant[p]!]!;
      if (token.kind !== 'punct') continue;
      if (token.text === '(') depth++;
      else if (token.text === ')' && --depth === 0) return p;
    }
    return undefined;
  }
}
