// A hook's rendered SQL split into the statements a one-statement-per-call warehouse runs:
// semicolons end statements, except inside quotes, dollar quotes and comments.

import { describe, expect, it } from 'vitest';
import { splitStatements } from '../../src/sql/split-statements.js';

describe('splitStatements', () => {
  it('splits at the semicolons that end statements and drops empty ones', () => {
    expect(splitStatements('grant usage on schema a to group r; grant usage on schema b to group r; ')).toEqual([
      'grant usage on schema a to group r',
      'grant usage on schema b to group r',
    ]);
    expect(splitStatements('select 1')).toEqual(['select 1']);
    expect(splitStatements('  ;\n ; ')).toEqual([]);
  });

  it('leaves semicolons in strings, quoted names, dollar quotes and comments alone', () => {
    expect(splitStatements(`insert into t values ('a;b', 'it''s;'); select "odd;name" from t`)).toEqual([
      `insert into t values ('a;b', 'it''s;')`,
      'select "odd;name" from t',
    ]);
    expect(splitStatements('create function f() returns int as $body$ select 1; $body$ language sql; select $1')).toEqual([
      'create function f() returns int as $body$ select 1; $body$ language sql',
      'select $1',
    ]);
    expect(splitStatements('select 1; -- done; really\n/* a; b */ select 2;')).toEqual(['select 1', '-- done; really\n/* a; b */ select 2']);
  });

  it('drops a part that holds only comments', () => {
    expect(splitStatements('select 1; -- the end')).toEqual(['select 1']);
  });
});
