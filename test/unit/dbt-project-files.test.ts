import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseDbtProject, projectVars } from '../../src/config/dbt-project.js';
import { parseProfile, profileCandidates } from '../../src/config/dbt-profiles.js';
import { parseProject } from '../../src/config/load-project.js';
import { renderYamlValue } from '../../src/config/render-yaml-value.js';
import { templateTarget } from '../../src/compile/compile-context.js';
import { resolveTarget, resolveTargetSpec } from '../../src/config/target.js';
import { maskSecrets } from '../../src/log/redact.js';

const fixture = (file: string): string => readFileSync(path.resolve('test', 'fixtures', file), 'utf8');
const profileFile = '/home/me/.dbt/profiles.yml';
const pgshiftYml = 'staging: { bucket: b }\n';

function projectWithProfile(env: Record<string, string> = {}) {
  const dbt = parseDbtProject('name: shop\nprofile: shop\n', 'dbt_project.yml');
  const profile = parseProfile(fixture('dbt-files/profiles.yml'), profileFile, 'shop', env);
  return parseProject(pgshiftYml, 'pgshift.yml', { dbt, profile });
}

describe('dbt_project.yml', () => {
  it('reads the folders, target-path and clean-targets, with dbt defaults for what is left out', () => {
    const project = parseDbtProject(fixture('dbt-project/dbt_project.yml'), 'dbt_project.yml');
    expect(project.paths).toEqual({
      models: ['transform'],
      seeds: ['data'],
      macros: ['macros'],
      snapshots: ['snapshots'],
      tests: ['checks'],
      analyses: ['analyses'],
      target: 'build-output',
      cleanTargets: ['build-output'],
    });
    expect(parseDbtProject('name: x\n', 'dbt_project.yml').paths.models).toEqual(['models']);
  });

  it('keeps run hooks, dispatch, flags and quoting, and warns that require-dbt-version is not checked', () => {
    const project = parseDbtProject(fixture('dbt-project/dbt_project.yml'), 'dbt_project.yml');
    expect(project.onRunStart).toEqual(['select 1']);
    expect(project.onRunEnd).toEqual(['select 2']);
    expect(project.dispatch).toEqual([{ macro_namespace: 'dbt_utils', search_order: ['jaffle', 'dbt_utils'] }]);
    expect(project.quoting).toEqual({ identifier: false });
    expect(project.tests).toEqual({ jaffle: { '+severity': 'error' } });
    expect(project.warnings).toEqual([expect.stringContaining('dbt_project.yml: require-dbt-version [">=1.8.0","<2.0.0"] is accepted but not checked')]);
  });

  it('gives the project its own scoped vars over the global ones, as dbt does', () => {
    expect(projectVars({ min_amount: 1, region: 'eu', jaffle: { min_amount: 10 }, other_pkg: { x: 1 } }, 'jaffle')).toEqual({
      min_amount: 10,
      region: 'eu',
      other_pkg: { x: 1 },
    });
  });

  it('rejects an unknown key in one line naming the file and the key', () => {
    expect(() => parseDbtProject('name: x\nmodel-path: [m]\n', 'dbt_project.yml')).toThrow(
      /^dbt_project\.yml: unknown key model-path; did you mean 'model-paths'\?$/,
    );
  });
});

describe('Jinja in dbt YAML values', () => {
  it('renders env_var with and without a default, var and target, to native types', () => {
    const context = { env: { S: 'marts' }, vars: { on: false }, target: { name: 'prod' } };
    expect(renderYamlValue("{{ env_var('S') }}", context, 'f: k')).toBe('marts');
    expect(renderYamlValue("{{ env_var('NOPE', 'fallback') }}", context, 'f: k')).toBe('fallback');
    expect(renderYamlValue("{{ var('on') }}", context, 'f: k')).toBe(false);
    expect(renderYamlValue('{{ target.name }}_x', context, 'f: k')).toBe('prod_x');
    expect(renderYamlValue("{{ env_var('P', '5439') | as_number }}", context, 'f: k')).toBe(5439);
  });

  it('names the file, key and variable when an env_var has no value and no default', () => {
    expect(() => renderYamlValue("{{ env_var('NOPE') }}", { env: {} }, 'profiles.yml: shop.outputs.dev.host')).toThrow(
      "profiles.yml: shop.outputs.dev.host: environment variable NOPE is not set; set it, or give env_var('NOPE', 'default') a default",
    );
  });
});

describe('profiles.yml', () => {
  it('is looked up in dbt order: --profiles-dir, DBT_PROFILES_DIR, the project, then ~/.dbt', () => {
    expect(profileCandidates({ profilesDir: '/flag', projectDir: '/p', env: { DBT_PROFILES_DIR: '/env' } })).toEqual(['/flag/profiles.yml']);
    expect(profileCandidates({ projectDir: '/p', env: { DBT_PROFILES_DIR: '/env' } })).toEqual(['/env/profiles.yml']);
    expect(profileCandidates({ projectDir: '/p', env: {}, home: '/home/me' })).toEqual(['/p/profiles.yml', '/home/me/.dbt/profiles.yml']);
  });

  it('makes its outputs targets; the default target is the profile’s target', () => {
    const project = projectWithProfile();
    expect(project.defaultTarget).toBe('dev');
    expect(resolveTargetSpec(project, undefined, {})).toMatchObject({ name: 'dev', type: 'postgres', schema: 'dbt_dev' });
    expect(resolveTargetSpec(project, 'prod', {})).toMatchObject({ name: 'prod', type: 'redshift', schema: 'analytics' });
  });

  it("gives templates the output's database and every setting but its secrets, rendered", () => {
    const spec = resolveTargetSpec(projectWithProfile(), 'dev', { SHOP_USER: 'etl', SHOP_PASSWORD: 'hunter2' });
    expect(spec).toMatchObject({ database: 'shop', profile_name: 'shop' });
    expect(spec.settings).toEqual({ host: 'db.internal', port: 6432, user: 'etl', dbname: 'shop', sslmode: 'require', threads: 4 });
    expect(JSON.stringify(spec)).not.toContain('hunter2');
    const prod = resolveTargetSpec(projectWithProfile(), 'prod', {});
    expect(prod).toMatchObject({ database: 'warehouse', settings: { method: 'iam', region: 'eu-west-1', dbname: 'warehouse' } });
  });

  it('leaves a setting whose env_var() is unset to fail only when a template reads it', () => {
    const profile = parseProfile(
      'shop:\n  target: dev\n  outputs:\n    dev: { type: postgres, host: "{{ env_var(\'SHOP_HOST\') }}", dbname: shop, schema: s, user: u }\n',
      profileFile,
      'shop',
      {},
    );
    const project = parseProject(pgshiftYml, 'pgshift.yml', { dbt: parseDbtProject('name: shop\nprofile: shop\n', 'dbt_project.yml'), profile });
    const target = templateTarget(resolveTargetSpec(project, 'dev', {}), 4);
    expect([target.database, target.user]).toEqual(['shop', 'u']);
    expect(() => target.host).toThrow(`${profileFile}: shop.outputs.dev.host: environment variable SHOP_HOST is not set`);
  });

  it("reads a pgshift.yml postgres target's database, host, port and user from its URL, never its password", () => {
    const project = parseProject(`name: shop\n${pgshiftYml}targets: { dev: { type: postgres, schema: mine } }\n`, 'pgshift.yml');
    const spec = resolveTargetSpec(project, 'dev', { PGSHIFT_WAREHOUSE_URL: 'postgres://loader:s3cret@wh.internal:6543/analytics' });
    expect(spec).toMatchObject({ database: 'analytics', profile_name: null, settings: { host: 'wh.internal', port: 6543, user: 'loader' } });
    expect(JSON.stringify(spec)).not.toContain('s3cret');
    // Compiling without the connection: no database to tell.
    expect(resolveTargetSpec(project, 'dev', {})).toMatchObject({ database: null, settings: {} });
  });

  it('reads the password only when the connection is resolved, and masks it from then on', () => {
    const project = projectWithProfile();
    // The spec needs no password: SHOP_PASSWORD is unset and compiling still works.
    expect(resolveTargetSpec(project, 'dev', {}).schema).toBe('dbt_dev');
    expect(() => resolveTarget(project, 'dev', {})).toThrow(/shop\.outputs\.dev\.password: environment variable SHOP_PASSWORD is not set/);
    const target = resolveTarget(project, 'dev', { SHOP_PASSWORD: 'p@ss word#1' });
    expect(target).toMatchObject({ type: 'postgres', schema: 'dbt_dev' });
    const url = new URL(target.type === 'postgres' ? target.connectionString : '');
    expect([url.hostname, url.port, url.username, decodeURIComponent(url.password), url.pathname]).toEqual([
      'db.internal',
      '6432',
      'analyst',
      'p@ss word#1',
      '/shop',
    ]);
    expect(url.searchParams.get('sslmode')).toBe('require');
    expect(maskSecrets('login failed for p@ss word#1')).not.toContain('p@ss word#1');
  });

  it('maps a redshift output onto the Data API: the workgroup from a serverless host, iam_role for COPY', () => {
    const target = resolveTarget(projectWithProfile(), 'prod', {});
    expect(target).toMatchObject({
      type: 'redshift',
      database: 'warehouse',
      workgroupName: 'analytics',
      clusterIdentifier: undefined,
      iamRole: 'arn:aws:iam::123456789012:role/loader',
      region: 'eu-west-1',
    });
  });

  it('lets pgshift.yml win for a target name both files define', () => {
    const dbt = parseDbtProject('name: shop\nprofile: shop\n', 'dbt_project.yml');
    const profile = parseProfile(fixture('dbt-files/profiles.yml'), profileFile, 'shop', {});
    const project = parseProject(`${pgshiftYml}targets: { dev: { type: postgres, schema: mine } }\n`, 'pgshift.yml', { dbt, profile });
    expect(resolveTargetSpec(project, 'dev', {}).schema).toBe('mine');
  });

  it('rejects an unknown output key in one line naming the file and the key path', () => {
    const text = 'shop:\n  target: dev\n  outputs:\n    dev: { type: postgres, schema: s, hots: x }\n';
    expect(() => parseProfile(text, profileFile, 'shop', {})).toThrow(
      /^\/home\/me\/\.dbt\/profiles\.yml: unknown key shop\.outputs\.dev\.hots; did you mean 'host'\?$/,
    );
  });

  it('says which profiles exist when dbt_project.yml names another', () => {
    expect(() => parseProfile(fixture('dbt-files/profiles.yml'), profileFile, 'jaffle', {})).toThrow(
      `${profileFile}: no profile 'jaffle' (the profile dbt_project.yml names); defined: shop`,
    );
  });
});
