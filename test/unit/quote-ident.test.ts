import { describe, expect, it } from 'vitest';
import { quoteIdent, quoteLiteral, quoteQualified } from '../../src/sql/quote-ident.js';

describe('quoteIdent', () => {
  it('wraps every identifier in double quotes, keeping case and spaces', () => {
    expect(quoteIdent('Order Lines')).toBe('"Order Lines"');
    expect(quoteQualified('Shop', 'orders')).toBe('"Shop"."orders"');
  });

  it('doubles embedded quotes so a hostile name stays one identifier', () => {
    expect(quoteIdent('last_name"; drop table users; --')).toBe('"last_name""; drop table users; --"');
  });

  it('refuses empty names and NUL bytes', () => {
    expect(() => quoteIdent('')).toThrow('an SQL identifier cannot be empty');
    expect(() => quoteIdent('a\u0000b')).toThrow(/NUL byte/);
  });

  it('quotes literals by doubling single quotes', () => {
    expect(quoteLiteral("O'Brien")).toBe("'O''Brien'");
  });
});
