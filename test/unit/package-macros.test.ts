// Installed packages in compile: their macros called through the package's name, never shadowed
// by a root macro of the same name; adapter.dispatch('m', 'pkg') searching the root project first,
// or dbt_project.yml's dispatch: order; their generic tests in schema.yml.

import { describe, expect, it } from 'vitest';
import type { ProjectFiles } from '../../src/compile/index.js';
import type { DbtProjectSettings } from '../../src/config/project.js';
import { bareProject, compile, compiledSql, type TargetType } from './compile-fixture.js';

const UTILS = {
  name: 'my_utils',
  dir: 'dbt_packages/my_utils',
  macros: [
    {
      path: 'dbt_packages/my_utils/macros/greet.sql',
      text: [
        "{% macro greet() %}{{ return('package greet') }}{% endmacro %}",
        "{% macro cast_text(x) %}{{ return(adapter.dispatch('cast_text', 'my_utils')(x)) }}{% endmacro %}",
        '{% macro default__cast_text(x) %}cast({{ x }} as text){% endmacro %}',
        '{% macro redshift__cast_text(x) %}cast({{ x }} as varchar(64)){% endmacro %}',
      ].join('\n'),
    },
    {
      path: 'dbt_packages/my_utils/tests/generic/positive.sql',
      text: '{% test positive(model, column_name) %}select * from {{ model }} where {{ column_name }} <= 0{% endtest %}',
    },
  ],
};

async function project(
  model: string,
  more: { macros?: Record<string, string>; schema?: string; dispatch?: DbtProjectSettings['dispatch'] } = {},
): Promise<ProjectFiles> {
  const files = await bareProject(
    { 'models/probe.sql': model },
    { macros: more.macros, schemaFiles: more.schema ? { 'models/schema.yml': more.schema } : undefined },
  );
  const dbt = { ...files.project.dbt, dispatch: more.dispatch ?? [] } as DbtProjectSettings;
  return { ...files, project: { ...files.project, dbt }, packages: [UTILS] };
}

const sqlOf = async (files: ProjectFiles, type: TargetType = 'postgres') => compiledSql(compile(files, type), 'probe');

describe('package macros', () => {
  it('are called through the package name, and a root macro of the same name does not shadow them', async () => {
    const files = await project('{{ my_utils.greet() }} / {{ greet() }}', {
      macros: { 'macros/greet.sql': "{% macro greet() %}{{ return('root greet') }}{% endmacro %}" },
    });
    expect(await sqlOf(files)).toBe('package greet / root greet');
  });

  it("dispatch finds the package's <adapter>__ form for the target", async () => {
    const files = await project("{{ my_utils.cast_text('a') }}");
    expect(await sqlOf(files, 'postgres')).toBe('cast(a as text)');
    expect(await sqlOf(files, 'redshift')).toBe('cast(a as varchar(64))');
  });

  it('dispatch searches the root project before the package, as dbt does without a dispatch: config', async () => {
    const files = await project("{{ my_utils.cast_text('a') }}", {
      macros: { 'macros/shim.sql': '{% macro default__cast_text(x) %}root({{ x }}){% endmacro %}' },
    });
    // The root project's default__ wins even over the package's redshift__: packages are searched one after the other.
    expect(await sqlOf(files, 'redshift')).toBe('root(a)');
  });

  it("follows dbt_project.yml's dispatch: search_order", async () => {
    const files = await project("{{ my_utils.cast_text('a') }}", {
      macros: { 'macros/shim.sql': '{% macro default__cast_text(x) %}root({{ x }}){% endmacro %}' },
      dispatch: [{ macro_namespace: 'my_utils', search_order: ['my_utils'] }],
    });
    expect(await sqlOf(files, 'redshift')).toBe('cast(a as varchar(64))');
  });

  it('say which name is wrong', async () => {
    await expect(sqlOf(await project('{{ my_utils.greeet() }}'))).rejects.toThrow(
      "models/probe.sql:1: my_utils.greeet is not a macro of package my_utils; did you mean 'greet'?",
    );
    await expect(sqlOf(await project("{{ adapter.dispatch('x', 'other_utils')() }}"))).rejects.toThrow(
      "models/probe.sql:1: adapter.dispatch('x', 'other_utils'): it names 'other_utils', which is neither this project nor an installed package; run `pgshift deps` or fix the name",
    );
  });

  it("run the package's generic tests, by its name or unqualified", async () => {
    const schema = [
      'version: 2',
      'models:',
      '  - name: probe',
      '    columns:',
      '      - name: amount',
      '        data_tests: [my_utils.positive, positive]',
    ].join('\n');
    const manifest = compile(await project('select 1 as amount', { schema }));
    const tests = Object.values(manifest.nodes).filter((node) => node.resource_type === 'test');
    expect(tests.map((node) => [node.name, node.compiled_code])).toEqual(
      expect.arrayContaining([
        ['my_utils_positive_probe_amount', 'select * from "analytics"."probe" where amount <= 0'],
        ['positive_probe_amount', 'select * from "analytics"."probe" where amount <= 0'],
      ]),
    );
    expect(manifest.macros['macro.my_utils.test_positive']?.original_file_path).toBe('dbt_packages/my_utils/tests/generic/positive.sql');
  });

  it('refuse a test of a package that is not installed', async () => {
    const schema = ['version: 2', 'models:', '  - name: probe', '    data_tests: [dbt_utils.expression_is_true]'].join('\n');
    await expect(sqlOf(await project('select 1', { schema }))).rejects.toThrow(
      'models/schema.yml: models.probe.data_tests[0] uses dbt_utils.expression_is_true, but no installed package is named dbt_utils',
    );
  });
});
