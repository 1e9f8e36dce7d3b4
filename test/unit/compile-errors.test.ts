// Every way a project can fail to compile, with the exact message a user sees: it names the
// file (and line when known) and, for misspelt names, the closest real one.

import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ProjectFiles } from '../../src/compile/index.js';
import { CompileError, ConfigError } from '../../src/errors.js';
import { bareProject, compile, edit, FIXTURE_DIR, fixtureFiles, pgshiftYml } from './compile-fixture.js';

function failure(files: ProjectFiles): Error {
  try {
    compile(files);
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected compilation to fail');
}

async function modelsFailure(models: Record<string, string>, more: Parameters<typeof bareProject>[1] = {}): Promise<Error> {
  return failure(await bareProject(models, more));
}

const schema = (yaml: string) => ({ schemaFiles: { 'models/schema.yml': yaml } });

describe('refs and sources', () => {
  it('rejects an unknown ref, suggesting the closest model', async () => {
    const error = await modelsFailure({ 'models/stg_orders.sql': 'select 1', 'models/report.sql': "select *\nfrom {{ ref('stg_ordrs') }}" });
    expect(error).toBeInstanceOf(CompileError);
    expect(error.message).toBe("models/report.sql:2: ref('stg_ordrs') does not match any model or seed; did you mean 'stg_orders'?");
    expect((error as CompileError).context).toMatchObject({ file: 'models/report.sql', line: 2 });
  });

  it('makes no suggestion when nothing is close', async () => {
    const error = await modelsFailure({ 'models/report.sql': "select * from {{ ref('zzz') }}" });
    expect(error.message).toBe("models/report.sql:1: ref('zzz') does not match any model or seed");
  });

  it('rejects an unknown source', async () => {
    const error = await modelsFailure({ 'models/a.sql': "\n\nselect * from {{ source('shoop', 'orders') }}" });
    expect(error.message).toBe("models/a.sql:3: source('shoop', 'orders'): no source 'shoop' in pgshift.yml or a schema.yml; did you mean 'shop'?");
  });

  it('rejects an unknown source table', async () => {
    const error = await modelsFailure({ 'models/a.sql': "select * from {{ source('shop', 'order') }}" });
    expect(error.message).toBe("models/a.sql:1: source('shop', 'order'): source 'shop' has no table 'order'; did you mean 'orders'?");
  });

  it('rejects a ref to a disabled model', async () => {
    const error = await modelsFailure({ 'models/a.sql': '{{ config(enabled=false) }}select 1', 'models/b.sql': "select * from {{ ref('a') }}" });
    expect(error.message).toBe('models/b.sql: b depends on a (models/a.sql), which is disabled (enabled: false)');
  });
});

describe('the graph', () => {
  it('rejects two models with the same name, naming both files', async () => {
    const error = await modelsFailure({ 'models/a/orders.sql': 'select 1', 'models/b/orders.sql': 'select 2' });
    expect(error.message).toBe("two models are named 'orders': models/a/orders.sql and models/b/orders.sql; model names must be unique");
  });

  it('rejects a cycle and lists its path', async () => {
    const error = await modelsFailure({
      'models/a.sql': "select * from {{ ref('c') }}",
      'models/b.sql': "select * from {{ ref('a') }}",
      'models/c.sql': "select * from {{ ref('b') }}",
    });
    expect(error.message).toBe('found a dependency cycle: a -> b -> c -> a');
  });

  it('rejects a model that refs itself', async () => {
    const error = await modelsFailure({ 'models/a.sql': "select * from {{ ref('a') }}" });
    expect(error.message).toBe('found a dependency cycle: a -> a');
  });

  it('rejects two models building the same relation', async () => {
    const error = await modelsFailure({ 'models/a.sql': "{{ config(alias='b') }}select 1", 'models/b.sql': 'select 2' });
    expect(error.message).toBe('models/a.sql and models/b.sql both build "analytics"."b"; give one of them another alias or schema');
  });
});

describe('templates', () => {
  it('reports a syntax error at its line', async () => {
    const error = await modelsFailure({ 'models/a.sql': 'select 1\nfrom x\nwhere {{ foo( }}' });
    expect(error.message).toBe('models/a.sql:3: unexpected token: }}');
  });

  it('says what the parser expected instead of naming its own functions', async () => {
    const signature = await modelsFailure({ 'models/a.sql': "select 1\n\n{{ dateadd('day' 1, 'x') }}" });
    expect(signature.message).toBe("models/a.sql:3: syntax error in an argument list: expected ',' between arguments or ')' to close it");
    const loop = await modelsFailure({ 'models/a.sql': 'select 1\n{% for x y %}{% endfor %}' });
    expect(loop.message).toBe('models/a.sql:2: syntax error in {% for %}: expected {% for <name> in <expression> %}');
    const misspelt = await modelsFailure({ 'models/a.sql': 'select 1\n{% iff x %}{% endif %}' });
    expect(misspelt.message).toBe('models/a.sql:2: unknown tag {% iff %}; did you mean {% if %}?');
    const stray = await modelsFailure({ 'models/a.sql': 'select 1\n\n{% endfor %}' });
    expect(stray.message).toBe('models/a.sql:3: {% endfor %} closes nothing: no {% for %} is open here; remove it or add the opening tag above');
  });

  it('reports a block left open at the line that opened it, not at the end of the file', async () => {
    const unclosed = await modelsFailure({ 'models/a.sql': 'select 1\n{% if var("x", 1) %}\n{% for c in [1] %}{{ c }}{% endfor %}\nselect 2\n' });
    expect(unclosed.message).toBe(
      'models/a.sql:2: {% if %} opened here is never closed: expected {% elif %}, {% else %} or {% endif %} before the end of the file',
    );
    expect((unclosed as CompileError).context).toMatchObject({ file: 'models/a.sql', line: 2 });
    const macro = await modelsFailure({ 'models/a.sql': 'select 1' }, { macros: { 'macros/m.sql': '\n{% macro m() %}\n{% set x = 1 %}select {{ x }}\n' } });
    expect(macro.message).toBe('macros/m.sql:2: {% macro %} opened here is never closed: expected {% endmacro %} before the end of the file');
    const comment = await modelsFailure({ 'models/a.sql': 'select 1\n{# a note\nselect 2' });
    expect(comment.message).toBe('models/a.sql:2: this {# comment #} is never closed: expected #} before the end of the file');
  });

  it('names the macro, its file and the line it failed on, after the line of the model that called it', async () => {
    const macros = {
      'macros/cents.sql': "{% macro to_cents(column) %}\n  {{ exceptions.raise_compiler_error('to_cents: ' ~ column ~ ' is not numeric') }}\n{% endmacro %}",
      'macros/money.sql':
        '-- money helpers\n\n{% macro money(column) -%}\n  {{ to_cents(column) }} / 100.0\n{%- endmacro %}\n{% macro broken() %}{{ no_such_helper() }}{% endmacro %}',
    };
    const raised = await modelsFailure({ 'models/a.sql': 'select\n  {{ money("amount") }}' }, { macros });
    // The innermost macro is the one to fix; the model line says where the chain started.
    expect(raised.message).toBe('models/a.sql:2: to_cents: amount is not numeric (in macro to_cents, macros/cents.sql:2)');
    expect((raised as CompileError).context).toMatchObject({ file: 'models/a.sql', line: 2, macro: 'to_cents', macroFile: 'macros/cents.sql', macroLine: 2 });
    const unknown = await modelsFailure({ 'models/b.sql': 'select {{ broken() }}' }, { macros });
    expect(unknown.message).toBe("models/b.sql:1: 'no_such_helper' is not a macro or a template function (in macro broken, macros/money.sql:6)");
  });

  it('reports an unknown function with the closest macro', async () => {
    const error = await modelsFailure({ 'models/a.sql': "select\n  {{ datadd('day', 1, 'x') }}" });
    expect(error.message).toBe("models/a.sql:2: 'datadd' is not a macro or a template function; did you mean 'dateadd'?");
  });

  it('reports an error raised inside a macro at the line that called it', async () => {
    const error = await modelsFailure({ 'models/a.sql': "select 1,\n  {{ dateadd('fortnight', 1, 'x') }}" });
    expect(error.message).toBe("models/a.sql:2: dateadd: unsupported datepart 'fortnight'");
  });

  it('passes exceptions.raise_compiler_error through with the line', async () => {
    const error = await modelsFailure({ 'models/a.sql': "select 1\n{{ exceptions.raise_compiler_error('bad input') }}" });
    expect(error.message).toBe('models/a.sql:2: bad input');
  });

  it('names the model when a var is missing', async () => {
    const error = await modelsFailure({ 'models/a.sql': "select {{ var('start_date') }}" });
    expect(error.message).toBe(
      "models/a.sql:1: var('start_date') is not set for model a: add it under vars: in pgshift.yml, pass --vars '{start_date: …}', or give a default: var('start_date', …)",
    );
  });

  it('rejects a missing environment variable without default', async () => {
    const error = await modelsFailure({ 'models/a.sql': "select '{{ env_var('SHOP_REGION') }}'" });
    expect(error.message).toBe(
      "models/a.sql:1: env_var('SHOP_REGION') is not set in the environment and has no default; set SHOP_REGION or write env_var('SHOP_REGION', 'default')",
    );
  });

  it('rejects a dispatch with no implementation for the target', async () => {
    const error = await modelsFailure({ 'models/a.sql': "select {{ adapter.dispatch('nothing')() }}" });
    expect(error.message).toBe("models/a.sql:1: macro 'nothing' has no implementation for postgres: define one of postgres__nothing, default__nothing");
  });
});

describe('config', () => {
  it('rejects an unknown config() key with a suggestion', async () => {
    const error = await modelsFailure({ 'models/a.sql': "{{ config(materialzed='table') }}select 1" });
    expect(error.message).toBe("models/a.sql:1: config(): unknown key materialzed; did you mean 'materialized'?");
  });

  it('rejects an unknown materialization', async () => {
    const error = await modelsFailure({ 'models/a.sql': "{{ config(materialized='tabel') }}select 1" });
    expect(error.message).toBe('models/a.sql:1: config(): materialized must be one of view, table, incremental, ephemeral, got "tabel"');
  });

  it('requires a unique_key for merge', async () => {
    const error = await modelsFailure({ 'models/a.sql': "{{ config(materialized='incremental', incremental_strategy='merge') }}select 1" });
    expect(error.message).toBe('models/a.sql: incremental_strategy merge needs a unique_key');
  });

  it('rejects an unknown +key in pgshift.yml folder config, naming its path', async () => {
    const error = await modelsFailure({ 'models/a.sql': 'select 1' }, { pgshiftYml: pgshiftYml('models:\n  staging:\n    +materialzed: view\n') });
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toBe("pgshift.yml: unknown model config key models.staging.+materialzed; did you mean 'materialized'?");
  });

  it('rejects a bad folder config value, naming the key as written', async () => {
    const error = await modelsFailure({ 'models/a.sql': 'select 1' }, { pgshiftYml: pgshiftYml('models:\n  staging:\n    +materialized: tabel\n') });
    expect(error.message).toBe('pgshift.yml: models.staging.+materialized must be one of view, table, incremental, ephemeral, got "tabel"');
  });

  it('rejects a misspelt config key without + that is not a folder either', async () => {
    const error = await modelsFailure({ 'models/a.sql': 'select 1' }, { pgshiftYml: pgshiftYml('models:\n  staging:\n    materialzed: view\n') });
    expect(error.message).toBe(
      "pgshift.yml: models.staging.materialzed is neither a model config key (did you mean 'materialized'?) nor a folder mapping; write config keys as +key: value",
    );
  });

  it('rejects column_types for a column the seed does not have', async () => {
    const yaml = (await readFile(path.join(FIXTURE_DIR, 'pgshift.yml'), 'utf8')).replace('code: varchar(2)', 'cod: varchar(2)');
    const error = failure(edit(await fixtureFiles(), { pgshiftYml: yaml }));
    expect(error.message).toBe(
      "column_types for seed country_codes names 'cod', which seeds/country_codes.csv does not have; did you mean 'code'? (columns: code, name)",
    );
  });
});

describe('macros', () => {
  it('rejects two macros with the same name', async () => {
    const error = await modelsFailure(
      { 'models/a.sql': 'select 1' },
      { macros: { 'macros/x.sql': '{% macro m() %}{% endmacro %}', 'macros/y.sql': '{% macro m() %}{% endmacro %}' } },
    );
    expect(error.message).toBe("two macros are named 'm': macros/x.sql and macros/y.sql; macro names must be unique");
  });

  it('rejects a macro named like a template function', async () => {
    const error = await modelsFailure({ 'models/a.sql': 'select 1' }, { macros: { 'macros/x.sql': '{% macro ref() %}{% endmacro %}' } });
    expect(error.message).toBe("macros/x.sql: a macro cannot be named 'ref'; that name is part of the template context");
  });
});

describe('seeds', () => {
  it('reads the header with the seed CSV reader and names the file on a syntax error', async () => {
    const base = await bareProject({ 'models/a.sql': 'select 1' });
    const error = failure({ ...base, seeds: [{ path: 'seeds/countries.csv', headerLine: 'code,"name', checksum: 'x' }] });
    expect(error).toBeInstanceOf(CompileError);
    expect(error.message).toBe('seeds/countries.csv:1: a quoted field opened on line 1 is never closed; the first line names the columns');
  });
});

describe('schema.yml', () => {
  it('rejects an unknown key, naming the file and the path by model and column name', async () => {
    const error = await modelsFailure(
      { 'models/a.sql': 'select 1' },
      schema('version: 2\nmodels:\n  - name: a\n    columns:\n      - name: id\n        descripton: x\n'),
    );
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toBe("models/schema.yml: unknown key models.a.columns.id.descripton; did you mean 'description'?");
  });

  it('rejects an unknown top-level key', async () => {
    const error = await modelsFailure({ 'models/a.sql': 'select 1' }, schema('version: 2\nmodel:\n  - name: a\n'));
    expect(error.message).toBe("models/schema.yml: unknown key model; did you mean 'models'?");
  });

  it('suggests keys at any depth, from the same formatter as pgshift.yml', async () => {
    const error = await modelsFailure(
      { 'models/a.sql': 'select 1' },
      schema('version: 2\nsources:\n  - name: shop\n    tables:\n      - name: orders\n        loaded_at_feild: x\n'),
    );
    expect(error.message).toBe("models/schema.yml: unknown key sources.shop.tables.orders.loaded_at_feild; did you mean 'loaded_at_field'?");
  });

  it('calls a key with no value empty', async () => {
    const error = await modelsFailure({ 'models/a.sql': 'select 1' }, schema('version: 2\nmodels:\n  - name: a\n    columns:\n'));
    expect(error.message).toBe('models/schema.yml: models.a.columns is empty; it must be a list');
  });

  it('accepts version 2 or none, as dbt 1.5+ does, and refuses another', async () => {
    const error = await modelsFailure({ 'models/a.sql': 'select 1' }, schema('version: 1\nmodels: []\n'));
    expect(error.message).toBe('models/schema.yml: version must be 2, got 1');
    const manifest = compile(
      await bareProject({ 'models/a.sql': 'select 1 as id' }, schema('models:\n  - name: a\n    columns:\n      - name: id\n        data_tests: [unique]\n')),
    );
    expect(Object.keys(manifest.nodes).filter((id) => id.startsWith('test.'))).toHaveLength(1);
  });

  it('checks pii classes', async () => {
    const error = await modelsFailure(
      { 'models/a.sql': 'select 1' },
      schema('version: 2\nmodels:\n  - name: a\n    columns:\n      - name: email\n        meta: { pii: emial }\n'),
    );
    expect(error.message).toBe('models/schema.yml: models.a.columns.email.meta.pii must be one of email, name, phone, address, birth_date, free_text, secret');
  });

  it('rejects a description of a model that does not exist', async () => {
    const error = await modelsFailure({ 'models/orders.sql': 'select 1' }, schema('version: 2\nmodels:\n  - name: order\n'));
    expect(error.message).toBe("models/schema.yml: models.order describes model 'order', but models/ has no order.sql; did you mean 'orders'?");
  });

  it('validates model config written in schema.yml', async () => {
    const error = await modelsFailure({ 'models/a.sql': 'select 1' }, schema('version: 2\nmodels:\n  - name: a\n    config:\n      materialized: tabel\n'));
    expect(error.message).toBe('models/schema.yml: models.a.config.materialized must be one of view, table, incremental, ephemeral, got "tabel"');
  });

  it('reports invalid YAML with its line', async () => {
    const error = await modelsFailure({ 'models/a.sql': 'select 1' }, schema('version: 2\nmodels:\n  - name: a\n   bad: indent\n'));
    expect(error.message).toBe('models/schema.yml:4: invalid YAML: bad indentation of a sequence entry at line 4, column 4');
  });

  it('rejects an unknown test with the closest one', async () => {
    const error = await modelsFailure(
      { 'models/a.sql': 'select 1' },
      schema('version: 2\nmodels:\n  - name: a\n    columns:\n      - name: id\n        data_tests: [uniqe]\n'),
    );
    expect(error.message).toBe(
      "models/schema.yml: models.a.columns.id.data_tests[0] uses unknown test 'uniqe' (did you mean 'unique'?); custom tests are macros named test_<name> in macros/",
    );
  });

  it('checks the arguments of built-in tests', async () => {
    const error = await modelsFailure(
      { 'models/a.sql': 'select 1' },
      schema('version: 2\nmodels:\n  - name: a\n    columns:\n      - name: id\n        data_tests:\n          - accepted_values: { value: [1] }\n'),
    );
    expect(error.message).toBe('models/schema.yml: models.a.columns.id.data_tests[0]: accepted_values needs values:');
  });

  it('rejects a relationships test pointing at an unknown model', async () => {
    const error = await modelsFailure(
      { 'models/a.sql': 'select 1' },
      schema(
        'version: 2\nmodels:\n  - name: a\n    columns:\n      - name: id\n        data_tests:\n          - relationships: { to: "ref(\'b\')", field: id }\n',
      ),
    );
    expect(error.message).toBe(
      "models/schema.yml: models.a.columns.id.data_tests[0]: test relationships_a_id__id__ref_b_: ref('b') does not match any model or seed; did you mean 'a'?",
    );
  });

  it('rejects schema.yml that puts a table pgshift extracts somewhere else', async () => {
    const error = await modelsFailure(
      { 'models/a.sql': 'select 1' },
      { schemaFiles: { 'models/sources.yml': 'sources:\n  - name: shop\n    schema: shop_raw\n    tables:\n      - name: orders\n' } },
    );
    expect(error.message).toBe(
      `models/sources.yml: source 'shop.orders' sets schema: shop_raw (sources.shop), but pgshift extracts it into "raw"."orders"; leave the key out, or leave the table out of pgshift.yml if something else loads it`,
    );
  });

  it('rejects source tables that pgshift.yml does not list', async () => {
    const error = await modelsFailure(
      { 'models/a.sql': 'select 1' },
      { schemaFiles: { 'models/sources.yml': 'version: 2\nsources:\n  - name: shop\n    tables:\n      - name: ordrs\n' } },
    );
    expect(error.message).toBe(
      "models/sources.yml: sources.shop.tables.ordrs describes table 'shop.ordrs', which pgshift.yml does not list (did you mean 'orders'?); a table pgshift does not extract belongs to a source pgshift.yml does not define",
    );
  });

  it('rejects two tests that end up with the same name', async () => {
    const error = await modelsFailure(
      { 'models/a.sql': 'select 1' },
      schema('version: 2\nmodels:\n  - name: a\n    columns:\n      - name: id\n        data_tests: [unique, unique]\n'),
    );
    expect(error.message).toBe(
      'models/schema.yml: models.a.columns.id.data_tests[1] defines test unique_a_id, which models/schema.yml (models.a.columns.id.data_tests[0]) already defines; give one of them a name:',
    );
  });
});

describe('selectors.yml', () => {
  it('rejects an unknown selector method at compile time', async () => {
    const error = failure(edit(await fixtureFiles(), { selectors: 'selectors:\n  - name: x\n    definition: "tga:nightly"\n' }));
    expect(error.message).toBe(
      "selectors.yml: selectors.x.definition: unknown selector method 'tga' in 'tga:nightly' (did you mean 'tag'?); valid methods are fqn, path, file, tag, source, exposure, resource_type, config.<key>, state, result, test_name, test_type, package, selector",
    );
  });
});
