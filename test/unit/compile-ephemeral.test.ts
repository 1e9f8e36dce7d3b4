// Ephemeral models are inlined as CTEs named __pgshift_eph__<name>, merged into the query's
// own `with` when it has one, dependencies first.

import { describe, expect, it } from 'vitest';
import { ephemeralClosure, injectEphemeralCtes } from '../../src/compile/ephemeral.js';
import { bareProject, compile, compiledSql } from './compile-fixture.js';

describe('injectEphemeralCtes()', () => {
  const cte = { modelName: 'eph', sql: 'select 1 as id;\n' };

  it('prepends a with clause to a plain select', () => {
    expect(injectEphemeralCtes('select * from __pgshift_eph__eph', [cte])).toBe(
      'with __pgshift_eph__eph as (\nselect 1 as id\n)\nselect * from __pgshift_eph__eph',
    );
  });

  it("merges into the query's own with", () => {
    expect(injectEphemeralCtes('with a as (select 2)\nselect * from a', [cte])).toBe(
      'with __pgshift_eph__eph as (\nselect 1 as id\n),\na as (select 2)\nselect * from a',
    );
  });

  it('looks past leading comments and keeps with recursive', () => {
    const sql = '-- counts\n/* block */\nWITH RECURSIVE r as (select 1)\nselect * from r';
    expect(injectEphemeralCtes(sql, [cte])).toBe(
      '-- counts\n/* block */\nwith RECURSIVE __pgshift_eph__eph as (\nselect 1 as id\n),\nr as (select 1)\nselect * from r',
    );
  });

  it('does not mistake a column named with_x for a with clause', () => {
    expect(injectEphemeralCtes('select with_x from t', [cte])).toBe('with __pgshift_eph__eph as (\nselect 1 as id\n)\nselect with_x from t');
  });

  it('flattens an ephemeral model that has its own with, renaming its CTEs so two models cannot collide', () => {
    const first = {
      modelName: 'stg_a',
      sql: "with source as (select * from raw.source),\nfinal as (select id from source where note = 'source')\nselect * from final",
    };
    const second = { modelName: 'stg_b', sql: 'WITH source AS (select 2 as id), "Final" (id) as (select source.id from source)\nselect * from "Final"' };
    const out = injectEphemeralCtes('with final as (select * from __pgshift_eph__stg_a join __pgshift_eph__stg_b using (id))\nselect * from final', [
      first,
      second,
    ]);
    expect(out).toBe(
      'with __pgshift_eph__stg_a__source as (select * from raw.source),\n' +
        "__pgshift_eph__stg_a__final as (select id from __pgshift_eph__stg_a__source where note = 'source'),\n" +
        '__pgshift_eph__stg_a as (\nselect * from __pgshift_eph__stg_a__final\n),\n' +
        '__pgshift_eph__stg_b__source as (select 2 as id),\n' +
        '"__pgshift_eph__stg_b__Final" (id) as (select __pgshift_eph__stg_b__source.id from __pgshift_eph__stg_b__source),\n' +
        '__pgshift_eph__stg_b as (\nselect * from "__pgshift_eph__stg_b__Final"\n),\n' +
        'final as (select * from __pgshift_eph__stg_a join __pgshift_eph__stg_b using (id))\nselect * from final',
    );
    // No with is left inside any CTE body.
    expect(out.slice(4)).not.toMatch(/\bwith\b/i);
  });

  it('keeps with recursive when a flattened ephemeral model needs it', () => {
    const cte = { modelName: 'tree', sql: 'with recursive r (n) as (select 1 union all select n + 1 from r where n < 3) select n from r' };
    expect(injectEphemeralCtes('select * from __pgshift_eph__tree', [cte])).toBe(
      'with recursive __pgshift_eph__tree__r (n) as (select 1 union all select n + 1 from __pgshift_eph__tree__r where n < 3),\n__pgshift_eph__tree as (\nselect n from __pgshift_eph__tree__r\n)\nselect * from __pgshift_eph__tree',
    );
  });

  it('leaves SQL alone when there is nothing to inline', () => {
    expect(injectEphemeralCtes('select 1', [])).toBe('select 1');
  });
});

describe('ephemeralClosure()', () => {
  it('lists ephemeral dependencies once each, deepest first', () => {
    const refs: Record<string, string[]> = { m: ['e1', 't', 'e2'], e1: ['e3'], e2: ['e3'], e3: [], t: ['e4'] };
    const ephemeral = new Set(['e1', 'e2', 'e3', 'e4']);
    // t is a table: its own ephemeral dependency e4 is inside t already.
    expect(
      ephemeralClosure(
        'm',
        (id) => refs[id] ?? [],
        (id) => ephemeral.has(id),
      ),
    ).toEqual(['e3', 'e1', 'e2']);
  });
});

describe('ephemeral models in a project', () => {
  it('inlines chains of ephemeral models recursively, in dependency order', async () => {
    const files = await bareProject({
      'models/base.sql': "{{ config(materialized='ephemeral') }}select 1 as id",
      'models/middle.sql': "{{ config(materialized='ephemeral') }}select id from {{ ref('base') }}",
      'models/top.sql': "select * from {{ ref('middle') }} join {{ ref('base') }} using (id)",
    });
    expect(compiledSql(compile(files), 'top')).toBe(
      'with __pgshift_eph__base as (\nselect 1 as id\n),\n__pgshift_eph__middle as (\nselect id from __pgshift_eph__base\n)\nselect * from __pgshift_eph__middle join __pgshift_eph__base using (id)',
    );
  });

  it('inlines ephemeral models into tests on them', async () => {
    const files = await bareProject(
      { 'models/eph.sql': "{{ config(materialized='ephemeral') }}select 1 as id" },
      { schemaFiles: { 'models/schema.yml': 'version: 2\nmodels:\n  - name: eph\n    columns:\n      - name: id\n        data_tests: [not_null]\n' } },
    );
    expect(compiledSql(compile(files), 'not_null_eph_id')).toBe(
      'with __pgshift_eph__eph as (\nselect 1 as id\n)\nselect id\nfrom __pgshift_eph__eph\nwhere id is null',
    );
  });
});
