// What a model can use while it renders: ref, source, config, var, env_var, this,
// is_incremental, target, interval, run_started_at, adapter, log, exceptions and macros.

import { describe, expect, it } from 'vitest';
import { parseCliVars } from '../../src/compile/index.js';
import type { ModelNode } from '../../src/manifest/index.js';
import { ConfigError } from '../../src/errors.js';
import { bareProject, compile, compileCompiled, compiledSql, fixtureFiles, nodeNamed } from './compile-fixture.js';

async function compileOne(sql: string, extra: Parameters<typeof compile>[2] = {}, type: 'postgres' | 'redshift' = 'postgres'): Promise<string> {
  const files = await bareProject({ 'models/probe.sql': sql, 'models/other.sql': 'select 1 as id' });
  return compiledSql(compile(files, type, extra), 'probe');
}

describe('var()', () => {
  it('reads vars: from pgshift.yml', async () => {
    const files = await fixtureFiles();
    expect(compiledSql(compile(files), 'fct_orders')).toContain('items_total >= 100 as is_high_value');
  });

  it('lets --vars override pgshift.yml', async () => {
    const files = await fixtureFiles();
    expect(compiledSql(compile(files, 'postgres', { vars: { high_value_threshold: 250 } }), 'fct_orders')).toContain('items_total >= 250 as is_high_value');
  });

  it('falls back to the default when the var is not set', async () => {
    expect(await compileOne("select {{ var('missing', 7) }} as n")).toBe('select 7 as n');
  });

  it('keeps structured values', async () => {
    expect(await compileOne("select {{ var('ids') | join(', ') }}", { vars: { ids: [1, 2, 3] } })).toBe('select 1, 2, 3');
  });
});

describe('parseCliVars()', () => {
  it('accepts YAML and JSON mappings', () => {
    expect(parseCliVars('{start_date: "2024-01-01", n: 3}')).toEqual({ start_date: '2024-01-01', n: 3 });
    expect(parseCliVars('{"a": [1, 2]}')).toEqual({ a: [1, 2] });
    expect(parseCliVars('')).toEqual({});
  });

  it('rejects anything but a mapping', () => {
    expect(() => parseCliVars('[1, 2]')).toThrow(new ConfigError(`--vars must be a mapping such as '{start_date: "2024-01-01"}', got "[1, 2]"`));
  });
});

describe('env_var()', () => {
  it('reads the environment the compilation was given', async () => {
    expect(await compileOne("select '{{ env_var('SHOP_REGION') }}'", { env: { SHOP_REGION: 'us' } })).toBe("select 'us'");
  });

  it('uses the default when the variable is unset', async () => {
    const files = await fixtureFiles();
    expect(compiledSql(compile(files), 'daily_sales')).toContain("'eu' as region");
  });
});

describe('this, target, interval, run_started_at', () => {
  it('renders this as the quoted relation, with its parts', async () => {
    expect(await compileOne('{{ this }} {{ this.schema }} {{ this.identifier }} {{ this.name }}')).toBe('"analytics"."probe" analytics probe probe');
  });

  it('exposes the target', async () => {
    expect(await compileOne('{{ target.name }} {{ target.type }} {{ target.schema }}', {}, 'redshift')).toBe('prod redshift analytics');
  });

  it("exposes the target's database, profile and settings, and the database on relations", async () => {
    const target = {
      name: 'dev',
      type: 'postgres' as const,
      schema: 'analytics',
      database: 'shop',
      profile_name: 'jaffle',
      settings: { host: 'db', port: 6432 },
    };
    const sql =
      '{{ target.database }} {{ target.dbname }} {{ target.profile_name }} {{ target.host }}:{{ target.port }} {{ this.database }} {{ ref("other").database }}';
    expect(await compileOne(sql, { target })).toBe('shop shop jaffle db:6432 shop shop');
  });

  it('exposes the run interval and start time as ISO strings', async () => {
    const sql = await compileOne('{{ interval.start }}|{{ interval.end }}|{{ run_started_at }}', {
      interval: { start: '2024-02-01T00:00:00Z', end: '2024-02-02T00:00:00Z' },
    });
    expect(sql).toBe('2024-02-01T00:00:00Z|2024-02-02T00:00:00Z|2024-03-02T06:00:00.000Z');
  });

  it('defaults the interval to the UTC day before the run started', async () => {
    expect(await compileOne('{{ interval.start }}|{{ interval.end }}')).toBe('2024-03-01T00:00:00.000Z|2024-03-02T00:00:00.000Z');
  });
});

describe('config()', () => {
  it('accepts keyword arguments and a dict, and renders nothing', async () => {
    const files = await bareProject({ 'models/probe.sql': "{{ config(materialized='table') }}{{ config({'tags': ['a']}) }}select 1" });
    const probe = nodeNamed(compile(files), 'probe') as ModelNode;
    expect(probe.compiled_code).toBe('select 1');
    expect(probe.config).toMatchObject({ materialized: 'table', tags: ['a'] });
  });

  it('reads settled config with config.get()', async () => {
    expect(await compileOne("{{ config(materialized='table') }}{{ config.get('materialized') }} {{ config.get('alias', 'none') }}")).toBe('table none');
  });
});

describe('is_incremental()', () => {
  const sql = "{{ config(materialized='incremental', unique_key='id') }}select 1{% if is_incremental() %} where new{% endif %}";

  it('is false while the table does not exist yet', async () => {
    expect(await compileOne(sql)).toBe('select 1');
  });

  it('is true when the relation exists and the model is incremental', async () => {
    expect(await compileOne(sql, { existingRelations: new Set(['analytics.probe']) })).toBe('select 1 where new');
  });

  it('is false with --full-refresh', async () => {
    expect(await compileOne(sql, { existingRelations: new Set(['analytics.probe']), fullRefresh: true })).toBe('select 1');
  });

  it('stays true with --full-refresh when the model sets full_refresh: false', async () => {
    const guarded = sql.replace("unique_key='id'", "unique_key='id', full_refresh=false");
    expect(await compileOne(guarded, { existingRelations: new Set(['analytics.probe']), fullRefresh: true })).toBe('select 1 where new');
  });

  it('is false for models that are not incremental', async () => {
    expect(await compileOne("{{ config(materialized='table') }}{{ is_incremental() }}", { existingRelations: new Set(['analytics.probe']) })).toBe('false');
  });

  it('sees a materialization set by config() after the call', async () => {
    // The first render reads is_incremental() before config(); the model is rendered again.
    const late = "select 1{% if is_incremental() %} where new{% endif %}{{ config(materialized='incremental', unique_key='id') }}";
    expect(await compileOne(late, { existingRelations: new Set(['analytics.probe']) })).toBe('select 1 where new');
  });
});

describe('CompiledProject.render()', () => {
  it('re-renders a model with run-time facts: the relation now exists', async () => {
    const compiled = compileCompiled(await fixtureFiles());
    expect(compiledSql(compiled.manifest, 'fct_orders')).not.toContain('max(updated_at)');
    const rendered = compiled.render('model.shop.fct_orders', { existingRelations: new Set(['analytics.fct_orders']) });
    expect(rendered.is_incremental).toBe(true);
    expect(rendered.compiled_code).toContain(
      `where updated_at >= (select (cast(max(updated_at) as timestamp) + (-1) * interval '1 hour') from "analytics"."fct_orders")`,
    );
    expect(rendered.compiled_code).toContain('with __pgshift_eph__int_order_totals as (');
  });

  it("keeps the whole target at run time: the profile's settings, and the run's threads over the profile's", async () => {
    const files = await bareProject({ 'models/probe.sql': 'select 1 as id -- {{ target.user }}@{{ target.host }} threads={{ target.threads }}' });
    const target = {
      name: 'dev',
      type: 'postgres' as const,
      schema: 'analytics',
      database: 'shop',
      profile_name: 'p',
      settings: { host: 'db', user: 'etl', threads: 99 },
    };
    const compiled = compileCompiled(files, 'postgres', { target });
    const atCompile = compiledSql(compiled.manifest, 'probe');
    expect(atCompile).toMatch(/-- etl@db threads=\d+$/);
    expect(atCompile).not.toContain('threads=99');
    expect(compiled.render('model.shop.probe').compiled_code).toBe(atCompile);
  });

  it('takes the interval of the run', async () => {
    const compiled = compileCompiled(await fixtureFiles());
    const rendered = compiled.render('model.shop.fct_orders', { interval: { start: '2024-05-01', end: '2024-05-02' } });
    expect(rendered.compiled_code).toContain("where ordered_at >= '2024-05-01' and ordered_at < '2024-05-02'");
    expect(rendered.is_incremental).toBe(false);
  });

  it('renders hooks too', async () => {
    const compiled = compileCompiled(await fixtureFiles());
    expect(compiled.render('model.shop.customer_ltv').post_hook).toEqual(['analyze "analytics_finance"."customer_lifetime_value"']);
  });

  it('does not change the manifest', async () => {
    const compiled = compileCompiled(await fixtureFiles());
    const before = JSON.stringify(compiled.manifest);
    compiled.render('model.shop.fct_orders', { existingRelations: new Set(['analytics.fct_orders']), vars: { high_value_threshold: 1 } });
    expect(JSON.stringify(compiled.manifest)).toBe(before);
  });

  it('renders from a fresh compile, whatever became of the manifest object (a JSON round trip)', async () => {
    const files = await fixtureFiles();
    const first = compileCompiled(files);
    // The manifest can be serialised and handed on; rendering needs the compiled project, not that object.
    const roundTripped = JSON.parse(JSON.stringify(first.manifest)) as typeof first.manifest;
    const fresh = compileCompiled(files);
    expect(fresh.manifest).toEqual(roundTripped);
    const rendered = fresh.render('model.shop.fct_orders', { existingRelations: new Set(['analytics.fct_orders']) });
    expect(rendered.is_incremental).toBe(true);
    expect(rendered.compiled_code).toBe(first.render('model.shop.fct_orders', { existingRelations: new Set(['analytics.fct_orders']) }).compiled_code);
  });
});

describe('adapter dispatch', () => {
  it('calls <target>__x, then default__x, for adapter.dispatch(x)', async () => {
    const files = await fixtureFiles();
    expect(compiledSql(compile(files, 'postgres'), 'daily_sales')).toContain('round(cast(sum(order_total) as numeric), 2) as revenue');
    expect(compiledSql(compile(files, 'redshift'), 'daily_sales')).toContain('round(cast(sum(order_total) as numeric(18, 2)), 2) as revenue');
  });

  it('dispatches a plain call of x when only prefixed versions exist', async () => {
    const macros = { 'macros/greet.sql': '{% macro default__greet() %}hello{% endmacro %}{% macro redshift__greet() %}hi{% endmacro %}' };
    const files = await bareProject({ 'models/probe.sql': 'select {{ greet() }}' }, { macros });
    expect(compiledSql(compile(files, 'postgres'), 'probe')).toBe('select hello');
    expect(compiledSql(compile(files, 'redshift'), 'probe')).toBe('select hi');
  });

  it('falls back from redshift__x to postgres__x, as dbt-redshift inherits from dbt-postgres', async () => {
    const macros = { 'macros/greet.sql': '{% macro postgres__greet() %}pg{% endmacro %}{% macro default__greet() %}any{% endmacro %}' };
    const files = await bareProject({ 'models/probe.sql': "select {{ adapter.dispatch('greet')() }}" }, { macros });
    expect(compiledSql(compile(files, 'redshift'), 'probe')).toBe('select pg');
  });

  it('prefers a plain macro x to dispatch', async () => {
    const macros = { 'macros/greet.sql': '{% macro greet() %}plain{% endmacro %}{% macro default__greet() %}any{% endmacro %}' };
    const files = await bareProject({ 'models/probe.sql': 'select {{ greet() }}' }, { macros });
    expect(compiledSql(compile(files), 'probe')).toBe('select plain');
  });

  it('lets macros call macros from other files, with keyword arguments', async () => {
    const macros = {
      'macros/a.sql': "{% macro outer(x) %}[{{ inner(x, suffix='!') }}]{% endmacro %}",
      'macros/b.sql': "{% macro inner(x, suffix='') %}{{ x }}{{ suffix }}{% endmacro %}",
    };
    const files = await bareProject({ 'models/probe.sql': "select '{{ outer('hey') }}'" }, { macros });
    expect(compiledSql(compile(files), 'probe')).toBe("select '[hey!]'");
  });

  it('quotes identifiers with adapter.quote', async () => {
    expect(await compileOne(`select {{ adapter.quote('last_name"; drop table x; --') }}`)).toBe('select "last_name""; drop table x; --"');
  });
});

describe('naming macros', () => {
  it('lets a project generate_schema_name macro replace <target>_<custom>', async () => {
    const macros = {
      'macros/naming.sql': '{% macro generate_schema_name(custom_schema_name, node) %}{{ custom_schema_name or target.schema }}{% endmacro %}',
    };
    const files = await bareProject({ 'models/probe.sql': "{{ config(schema='marts') }}select 1", 'models/plain.sql': 'select 1' }, { macros });
    const manifest = compile(files);
    expect(nodeNamed(manifest, 'probe')).toMatchObject({ schema: 'marts', relation_name: '"marts"."probe"' });
    expect(nodeNamed(manifest, 'plain')).toMatchObject({ schema: 'analytics' });
  });

  it('lets a project generate_alias_name macro name tables', async () => {
    const macros = {
      'macros/naming.sql': "{% macro generate_alias_name(custom_alias_name, node) %}{{ custom_alias_name or ('t_' ~ node.name) }}{% endmacro %}",
    };
    const files = await bareProject({ 'models/probe.sql': 'select 1', 'models/other.sql': "select * from {{ ref('probe') }}" }, { macros });
    expect(compiledSql(compile(files), 'other')).toBe('select * from "analytics"."t_probe"');
  });
});

describe('log() and exceptions', () => {
  it('passes log() messages to onLog and renders nothing', async () => {
    const messages: string[] = [];
    const sql = await compileOne("select 1{{ log('checking ' ~ this.name) }}", { onLog: (message, node) => messages.push(`${node}: ${message}`) });
    expect(sql).toBe('select 1');
    expect(messages).toEqual(['probe: checking probe']);
  });

  it('turns exceptions.warn into a manifest warning', async () => {
    const files = await bareProject({ 'models/probe.sql': "select 1{{ exceptions.warn('deprecated column') }}" });
    expect(compile(files).warnings).toEqual(['models/probe.sql: deprecated column']);
  });
});
