// dbt's `dbt.` cross-database macros as each dialect compiles them (goldens under
// test/goldens/dbt-macros/, UPDATE_GOLDENS=1 rewrites them), how `dbt.` dispatches, and what an
// unknown name says.

import { readFile, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DBT_AGGREGATE_MODEL, DBT_DATE_SPINE_MODEL, DBT_MACRO_MODEL } from '../support/dbt-macro-model.js';
import { bareProject, compile, compiledSql, type TargetType } from './compile-fixture.js';

const GOLDENS = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../goldens/dbt-macros');
const update = process.env.UPDATE_GOLDENS === '1';

async function sqlOf(model: string, type: TargetType, macros: Record<string, string> = {}): Promise<string> {
  const files = await bareProject({ 'models/probe.sql': model }, { macros });
  return compiledSql(compile(files, type), 'probe');
}

describe('dbt. cross-database macros', () => {
  for (const type of ['postgres', 'redshift'] as const) {
    for (const [name, model] of Object.entries({ scalars: DBT_MACRO_MODEL, aggregates: DBT_AGGREGATE_MODEL, date_spine: DBT_DATE_SPINE_MODEL })) {
      it(`compiles the ${name} probe for ${type} as in test/goldens/dbt-macros/${type}/${name}.sql`, async () => {
        const file = path.join(GOLDENS, type, `${name}.sql`);
        const actual = `${(await sqlOf(model, type)).trim()}\n`;
        if (update) {
          await mkdir(path.dirname(file), { recursive: true });
          await writeFile(file, actual);
        }
        expect(actual).toBe(await readFile(file, 'utf8').catch(() => '(missing: run with UPDATE_GOLDENS=1)\n'));
      });
    }
  }

  it("keeps dbt's argument order apart from pgshift's own datediff", async () => {
    const sql = await sqlOf("{{ dbt.datediff('a', 'b', 'day') }} | {{ datediff('day', 'a', 'b') }}", 'redshift');
    expect(sql).toBe('datediff(day, a, b) | datediff(day, a, b)');
  });

  it('lets a project macro <adapter>__name replace dbt’s form, as dispatch searches the root project first', async () => {
    const sql = await sqlOf("{{ dbt.hash('x') }}", 'postgres', { 'macros/hash.sql': '{% macro postgres__hash(field) %}sha_of({{ field }}){% endmacro %}' });
    expect(sql).toBe('sha_of(x)');
  });

  it('names what dbt. has when a name is not among them', async () => {
    const files = await bareProject({ 'models/probe.sql': "select {{ dbt.datedif('a', 'b', 'day') }}" });
    expect(() => compile(files)).toThrow(/models\/probe\.sql:1: dbt\.datedif is not one of dbt's macros pgshift provides; did you mean 'datediff'/);
  });
});
