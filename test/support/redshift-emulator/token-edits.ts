// Text edits on one tokenized statement, addressed by position among its significant tokens.
// Structure (parentheses, commas, keywords) is always read from the original tokens, text from
// the edited ones, so rewrites can nest: an inner call rewritten first keeps its parentheses
// balanced for the outer one.

import { keyword, type Token } from './sql-tokenizer.js';
import type { TokenCursor } from './token-cursor.js';

/** First and last significant position of a range, both inclusive. */
export interface TokenRange {
  readonly from: number;
  readonly to: number;
}

export class TokenEdits {
  private readonly out: string[];

  constructor(readonly cursor: TokenCursor) {
    this.out = cursor.tokens.map((token) => token.text);
  }

  get length(): number {
    return this.cursor.significant.length;
  }

  token(p: number): Token | undefined {
    const index = this.cursor.significant[p];
    return index === undefined ? undefined : this.cursor.tokens[index];
  }

  /** The lower-cased bare word at `p`, or undefined for anything else. */
  word(p: number): string | undefined {
    return keyword(this.token(p));
  }

  punct(p: number, text: string): boolean {
    const token = this.token(p);
    return token?.kind === 'punct' && token.text === text;
  }

  /** True when `p` is a bare function name: a word followed by `(` and not a qualified name's part. */
  isCall(p: number, name: string): boolean {
    return this.word(p) === name && this.punct(p + 1, '(') && !(p > 0 && this.punct(p - 1, '.'));
  }

  /** Position of the `)` closing the `(` at `open`. */
  closing(open: number): number | undefined {
    return this.cursor.matchingParen(open);
  }

  /** The comma-separated arguments between `open` and `close`, nested parentheses skipped. */
  args(open: number, close: number): TokenRange[] {
    if (close === open + 1) return [];
    const ranges: TokenRange[] = [];
    let from = open + 1;
    let depth = 0;
    for (let p = open + 1; p < close; p++) {
      if (this.punct(p, '(') || this.punct(p, '[')) depth++;
      else if (this.punct(p, ')') || this.punct(p, ']')) depth--;
      else if (depth === 0 && this.punct(p, ',')) {
        ranges.push({ from, to: p - 1 });
        from = p + 1;
      }
    }
    ranges.push({ from, to: close - 1 });
    return ranges;
  }

  /** The current text from `from` to `to`, comments and whitespace between them included. */
  text(from: number, to: number): string {
    const first = this.cursor.significant[from]!;
    const last = this.cursor.significant[to]!;
    return this.out.slice(first, last + 1).join('');
  }

  /** The current text of an argument, without the whitespace around it. */
  argText({ from, to }: TokenRange): string {
    return this.text(from, to).trim();
  }

  replace(p: number, text: string): void {
    this.out[this.cursor.significant[p]!] = text;
  }

  /** Drops plain whitespace between `p` and the significant token before it (not a comment's line end). */
  trimSpaceBefore(p: number): void {
    const at = this.cursor.significant[p]!;
    const previous = this.cursor.significant[p - 1];
    if (previous !== undefined && at - previous === 2 && this.cursor.tokens[at - 1]!.kind === 'space') this.out[at - 1] = '';
  }

  /** Replaces `from`..`to` (and everything between) by `text`. */
  replaceRange(from: number, to: number, text: string): void {
    const first = this.cursor.significant[from]!;
    const last = this.cursor.significant[to]!;
    for (let k = first; k <= last; k++) this.out[k] = '';
    this.out[first] = text;
  }

  /** Drops `from`..`to` and everything between them, plus the whitespace before. */
  remove(from: number, to: number): void {
    const first = this.cursor.significant[from]!;
    this.replaceRange(from, to, '');
    if (first > 0 && this.cursor.tokens[first - 1]!.kind === 'space') this.out[first - 1] = '';
  }

  toString(): string {
    return this.out.join('');
  }
}
