// Render-time warehouse calls without a warehouse: what they answer while the project compiles
// (none and empty, as dbt while execute is false), and the bound on one node's calls.

import { describe, expect, it } from 'vitest';
import { type IntrospectionRequest, renderWithIntrospection } from '../../src/manifest/index.js';
import { bareProject, compileCompiled, compiledSql, nodeNamed } from './compile-fixture.js';

const PROBE = `{%- set table = run_query('select 1') -%}
{%- call statement('one', fetch_result=true) %}select 1{% endcall -%}
{{ 'none' if table is none else 'table' }} {{ 'none' if load_result('one') is none else 'result' }} {{ 'none' if adapter.get_relation(none, 'raw', 'orders') is none else 'relation' }} {{ adapter.get_columns_in_relation(source('shop', 'orders')) | length }}`;

describe('render-time warehouse calls', () => {
  it('answer none and empty while the project compiles, with no warehouse at hand', async () => {
    const files = await bareProject({ 'models/probe.sql': PROBE });
    expect(compiledSql(compileCompiled(files).manifest, 'probe')).toBe('none none none 0');
  });

  it('ask the warehouse in template order and answer from what it said', async () => {
    const compiled = compileCompiled(await bareProject({ 'models/probe.sql': PROBE }));
    const asked: IntrospectionRequest[] = [];
    const rendered = await renderWithIntrospection(compiled, nodeNamed(compiled.manifest, 'probe').unique_id, {}, async (request) => {
      asked.push(request);
      if (request.kind === 'query') return { kind: 'query', table: { columns: ['?column?'], rows: [[1]] }, rowsAffected: 1 };
      if (request.kind === 'relation') return { kind: 'relation', type: 'table' };
      return { kind: 'columns', columns: [{ name: 'order_id', type: 'integer' }] };
    });
    expect(rendered.compiled_code).toBe('table result relation 1');
    // The two identical queries are asked once.
    expect(asked).toEqual([
      { kind: 'query', sql: 'select 1' },
      { kind: 'relation', schema: 'raw', identifier: 'orders' },
      { kind: 'columns', schema: 'raw', identifier: 'orders' },
    ]);
  });

  it('stop a node past 100 calls with what to do instead', async () => {
    const model = "{% for i in range(150) %}{% set _ = run_query('select ' ~ i) %}{% endfor %}select 1";
    const compiled = compileCompiled(await bareProject({ 'models/chatty.sql': model }));
    const answer = async () => ({ kind: 'query' as const, table: { columns: [], rows: [] }, rowsAffected: 0 });
    await expect(renderWithIntrospection(compiled, nodeNamed(compiled.manifest, 'chatty').unique_id, {}, answer)).rejects.toThrow(
      /^model\.shop\.chatty: rendering made more than 100 warehouse calls .*; query once and loop over the result instead$/,
    );
  });
});
