// --empty's relations (dbt's render_limited): each ref() and source() read as no rows, with
// dbt's subquery alias unless the model aliases the relation itself.

import { describe, expect, it } from 'vitest';
import { aliasFollows, emptyRelationSql } from '../../src/compile/relation.js';

describe('emptyRelationSql()', () => {
  it("reads the relation as no rows, under dbt's alias when the model gives none", () => {
    expect(emptyRelationSql('"raw"."orders"', 'orders', '\nwhere id > 0')).toBe('(select * from "raw"."orders" where false limit 0) "_dbt_limit_subq_orders"');
    expect(emptyRelationSql('"raw"."orders"', 'orders', '')).toBe('(select * from "raw"."orders" where false limit 0) "_dbt_limit_subq_orders"');
    expect(emptyRelationSql('"raw"."orders"', 'orders', ' join x on true')).toMatch(/"_dbt_limit_subq_orders"$/);
  });

  it('leaves the alias to the model when it writes one: `as o`, `o`, `"o"`', () => {
    for (const after of [' as o where', ' o\njoin', ' "o" ,', '\n  AS orders_alias']) {
      expect(emptyRelationSql('"raw"."orders"', 'orders', after)).toBe('(select * from "raw"."orders" where false limit 0)');
    }
  });

  it('takes clause keywords, punctuation and comments for what they are, not aliases', () => {
    for (const after of [' where', ' LEFT JOIN', ' group by 1', ')', ',', ' -- comment', ' union all', ' on a = b']) expect(aliasFollows(after)).toBe(false);
  });
});
