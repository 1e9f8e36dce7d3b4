// dbt packages from the command line: `pgshift deps` installs a local package and a git package
// (a file:// repository at tag v1.0.0, in a subdirectory, with a local package of its own) into
// dbt_packages/ and writes package-lock.yml; `pgshift build` then runs models that call the
// packages' macros (dispatch, namespace(), run_query, adapter calls) and their generic tests.

import { createHash } from 'node:crypto';
import { lstat, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRunResults } from '../../src/run/run-results.js';
import { git, preparePackageFixtures, writePackagesYml, type PackageFixtures } from '../support/package-fixtures.js';
import { runCli } from '../support/run-cli.js';
import { createTestDatabase, type TestDatabase } from '../support/test-env.js';
import { testPool } from '../support/test-pool.js';

describe('pgshift deps and a project that uses packages', () => {
  let warehouse: TestDatabase;
  let fixtures: PackageFixtures;
  let env: Record<string, string>;
  const cli = (...args: string[]) => runCli(['--project-dir', fixtures.projectDir, ...args], env);

  beforeAll(async () => {
    warehouse = await createTestDatabase('packages');
    fixtures = await preparePackageFixtures();
    const url = new URL(warehouse.url);
    env = {
      SHOP_HOST: url.hostname,
      SHOP_PORT: url.port || '5432',
      SHOP_USER: decodeURIComponent(url.username) || 'postgres',
      SHOP_PASSWORD: decodeURIComponent(url.password),
      SHOP_DBNAME: warehouse.name,
      DBT_PROFILES_DIR: '',
    };
  });

  afterAll(async () => {
    await rm(fixtures.root, { recursive: true, force: true });
    await warehouse.drop();
  });

  it('refuses to build before the packages are installed, saying to run pgshift deps', async () => {
    const result = await cli('build');
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe('error: packages.yml lists 2 package(s), but none is installed: run `pgshift deps` to install them into dbt_packages/');
  });

  it('installs the packages and theirs, and pins each git package to its commit in package-lock.yml', async () => {
    const result = await cli('deps');
    expect(result.code, result.stderr).toBe(0);
    const tagged = git(['rev-parse', 'v1.0.0^{commit}'], fixtures.repoDir);
    const lock = await readFile(path.join(fixtures.projectDir, 'package-lock.yml'), 'utf8');
    const packagesYml = await readFile(path.join(fixtures.projectDir, 'packages.yml'));
    expect(lock).toBe(
      [
        'packages:',
        '  - local: ../local_utils',
        '    name: local_utils',
        `  - git: ${fixtures.repoUrl}`,
        `    revision: ${tagged}`,
        '    subdirectory: git_utils',
        '    name: git_utils',
        // git_utils' own packages.yml lists it.
        '  - local: ../helpers',
        '    name: pkg_helpers',
        `sha1_hash: ${createHash('sha1').update(packagesYml).digest('hex')}`,
        '',
      ].join('\n'),
    );
    const installed = path.join(fixtures.projectDir, 'dbt_packages');
    expect((await lstat(path.join(installed, 'local_utils'))).isSymbolicLink()).toBe(true);
    expect((await lstat(path.join(installed, 'git_utils', 'macros', 'generate_surrogate_key.sql'))).isFile()).toBe(true);
    expect((await lstat(path.join(installed, 'pkg_helpers', 'dbt_project.yml'))).isFile()).toBe(true);
  });

  it('builds models with the packages macros and runs the packages tests', async () => {
    const result = await cli('build');
    expect(result.code, result.stderr + result.stdout).toBe(0);
    const db = testPool({ connectionString: warehouse.url });
    try {
      const keys = await db.query('select * from analytics.order_keys order by order_id');
      // star() left amount_cents out; the root project's postgres__cents_to_dollars won the dispatch.
      expect(keys.fields.map((field) => field.name)).toEqual(['order_key', 'own_macro', 'order_id', 'customer_id', 'status', 'amount']);
      const md5 = (text: string) => createHash('md5').update(text).digest('hex');
      expect(keys.rows.map((row) => [row.order_key, row.own_macro, row.amount])).toEqual([
        [md5('1-10'), 'shadowed', '12.50'],
        [md5('2-10'), 'shadowed', '8.00'],
        [md5('3-11'), 'shadowed', '40.00'],
      ]);
      // One column per status, found by run_query in git_utils.get_column_values.
      const totals = await db.query('select * from analytics.status_totals');
      expect(totals.rows).toEqual([{ orders: '3', placed_cents: '1250', shipped_cents: '4800' }]);
    } finally {
      await db.end();
    }
    const results = (await readRunResults(path.join(fixtures.projectDir, 'target')))!;
    const tests = results.results.filter((entry) => entry.unique_id.startsWith('test.')).map((entry) => [entry.unique_id, entry.status]);
    expect(tests).toEqual(
      expect.arrayContaining([
        ['test.shop_pkgs.git_utils_expression_is_true_order_keys_amount_0', 'pass'],
        ['test.shop_pkgs.expression_is_true_status_totals_shipped_cents_4800', 'pass'],
      ]),
    );
  });

  it('fails a bad revision in one line naming the package, and leaves the installed packages as they were', async () => {
    await writePackagesYml(fixtures.projectDir, fixtures.repoUrl, 'v9.9.9');
    const before = await readFile(path.join(fixtures.projectDir, 'package-lock.yml'), 'utf8');
    const result = await cli('deps');
    expect(result.code).toBe(1);
    expect(result.stderr.trim()).toBe(`error: package ${fixtures.repoUrl} (revision v9.9.9): revision v9.9.9 is not a tag, branch or commit of the repository`);
    expect(await readFile(path.join(fixtures.projectDir, 'package-lock.yml'), 'utf8')).toBe(before);
    expect((await lstat(path.join(fixtures.projectDir, 'dbt_packages', 'git_utils', 'dbt_project.yml'))).isFile()).toBe(true);
  });

  it('replaces an installed package with the newer revision packages.yml names', async () => {
    const macro = path.join(fixtures.repoDir, 'git_utils', 'macros', 'generate_surrogate_key.sql');
    await writeFile(macro, `${await readFile(macro, 'utf8')}\n{% macro added_in_v2() %}v2{% endmacro %}\n`);
    git(['commit', '--quiet', '-am', 'git_utils 2.0.0'], fixtures.repoDir);
    git(['tag', 'v2.0.0'], fixtures.repoDir);
    await writePackagesYml(fixtures.projectDir, fixtures.repoUrl, 'v2.0.0');
    const result = await cli('deps');
    expect(result.code, result.stderr).toBe(0);
    const installed = await readFile(path.join(fixtures.projectDir, 'dbt_packages', 'git_utils', 'macros', 'generate_surrogate_key.sql'), 'utf8');
    expect(installed).toContain('added_in_v2');
    expect(await readFile(path.join(fixtures.projectDir, 'package-lock.yml'), 'utf8')).toContain(
      `revision: ${git(['rev-parse', 'v2.0.0^{commit}'], fixtures.repoDir)}`,
    );
  });
});
