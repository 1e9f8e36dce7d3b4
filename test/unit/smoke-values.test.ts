import { describe, expect, it } from 'vitest';
import { compareSmokeRows, smokeReadBackSql } from '../../src/diagnose/smoke-values.js';
import { quoteIdent } from '../../src/sql/quote-ident.js';

describe('compareSmokeRows()', () => {
  const row = { id: '1', note: '', label: '\\N', ratio: 0.1, flag: 'true' };

  it('accepts equal rows, comparing doubles as numbers', () => {
    expect(compareSmokeRows([row], [{ ...row, ratio: '0.1' }])).toEqual([]);
  });

  it('tells NULL from an empty string and from the text \\N, naming row and column', () => {
    expect(compareSmokeRows([row], [{ ...row, note: null, label: null }])).toEqual([
      { id: '1', column: 'note', source: '', warehouse: null },
      { id: '1', column: 'label', source: '\\N', warehouse: null },
    ]);
  });

  it('reports a row the warehouse lacks', () => {
    expect(compareSmokeRows([row], []).map((mismatch) => mismatch.column)).toEqual(['id', 'ratio', 'flag', 'note', 'label']);
  });
});

describe('smokeReadBackSql()', () => {
  it('reads each column through its text expression, quoted', () => {
    const sql = smokeReadBackSql('"s"."t"', quoteIdent);
    expect(sql).toContain(`to_char("happened_at" at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') as "happened_at"`);
    expect(sql.endsWith('from "s"."t" order by "id"')).toBe(true);
  });
});
