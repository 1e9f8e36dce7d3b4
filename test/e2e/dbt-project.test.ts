// A dbt project pointed at pgshift as it is: dbt_project.yml and profiles.yml, no pgshift.yml.
// `pgshift build` connects through the profile, honours the project's folders, vars and folder
// configs, and never writes the profile's password anywhere.

import { cp, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRunResults } from '../../src/run/run-results.js';
import { runCli } from '../support/run-cli.js';
import { createTestDatabase, type TestDatabase } from '../support/test-env.js';
import { testPool } from '../support/test-pool.js';

describe('a dbt project without pgshift.yml', () => {
  let warehouse: TestDatabase;
  let projectDir: string;
  let env: Record<string, string>;
  // The server's own password when it asks for one (the embedded PostgreSQL does); otherwise a
  // made-up one the trusting server carries but never checks. Either way it must never be printed.
  let password: string;

  beforeAll(async () => {
    warehouse = await createTestDatabase('dbt_project');
    projectDir = await mkdtemp(path.join(tmpdir(), 'pgshift-dbt-project-'));
    await cp(path.resolve('test', 'fixtures', 'dbt-project'), projectDir, { recursive: true });
    const url = new URL(warehouse.url);
    password = decodeURIComponent(url.password) || 'profile-password-4711';
    env = {
      JAFFLE_HOST: url.hostname,
      JAFFLE_PORT: url.port || '5432',
      JAFFLE_USER: decodeURIComponent(url.username) || 'postgres',
      JAFFLE_PASSWORD: password,
      JAFFLE_DBNAME: warehouse.name,
      JAFFLE_STAGING_SCHEMA: 'stg',
      DBT_PROFILES_DIR: '',
    };
    // The table of the source only dbt YAML declares, loaded by something other than pgshift.
    const db = testPool({ connectionString: warehouse.url });
    try {
      await db.query('create schema crm; create table crm.crm_accounts (account_id int); insert into crm.crm_accounts values (1), (2), (3)');
    } finally {
      await db.end();
    }
  });

  afterAll(async () => {
    await rm(projectDir, { recursive: true, force: true });
    await warehouse.drop();
  });

  it('builds seeds, models and tests through the profile and writes artifacts to target-path', async () => {
    const result = await runCli(['--project-dir', projectDir, 'build'], env);
    expect(result.stderr + result.stdout).not.toContain(password);
    expect(result.code, result.stderr).toBe(0);

    const db = testPool({ connectionString: warehouse.url });
    try {
      // +schema from env_var() in dbt_project.yml: analytics_stg; min_amount scoped to the project: 10.
      const { rows } = await db.query('select customer_id::int as customer_id, total::int as total, region from analytics.big_customers order by customer_id');
      expect(rows).toEqual([
        { customer_id: 1, total: 25, region: 'eu' },
        { customer_id: 2, total: 30, region: 'eu' },
      ]);
      const views = await db.query(`select table_schema from information_schema.views where table_name = 'stg_payments'`);
      expect(views.rows).toEqual([{ table_schema: 'analytics_stg' }]);
      const seeds = await db.query(`select count(*)::int as n from analytics_seeds.raw_payments`);
      expect(seeds.rows).toEqual([{ n: 4 }]);
      // The source only dbt YAML declares is read where it says, and target.dbname is the profile's.
      const summary = await db.query('select accounts::int as accounts, built_in, this_database from analytics.account_summary');
      expect(summary.rows).toEqual([{ accounts: 3, built_in: warehouse.name, this_database: warehouse.name }]);
    } finally {
      await db.end();
    }

    const results = (await readRunResults(path.join(projectDir, 'build-output')))!;
    const ran = results.results.map((entry) => entry.unique_id);
    // The legacy folder is disabled by `+enabled: "{{ var('build_legacy', false) }}"`.
    expect(ran).not.toContain('model.jaffle.old_report');
    expect(ran).toContain('test.jaffle.no_negative_totals');
    // Its tests run; the source itself is not extracted (nothing in pgshift.yml, which there is not).
    expect(ran).toContain('test.jaffle.source_not_null_crm_accounts_account_id');
    expect(ran).not.toContain('source.crm.accounts');
    // The unit test reads stg_payments' columns from the view the build made before it.
    expect(ran).toContain('unit_test.jaffle.big_customers.keeps_big_totals');
    expect(results.results.every((entry) => entry.status === 'success' || entry.status === 'pass')).toBe(true);

    for (const file of await readdir(path.join(projectDir, 'build-output'), { recursive: true })) {
      const full = path.join(projectDir, 'build-output', file);
      if (file.endsWith('.json') || file.endsWith('.sql')) expect(await readFile(full, 'utf8')).not.toContain(password);
    }
  });

  it('compiles without the connection settings of the profile, which only a connection reads', async () => {
    // Only the dbname the account_summary model renders (target.dbname): no host, user or password.
    const result = await runCli(['--project-dir', projectDir, 'compile'], { DBT_PROFILES_DIR: '', JAFFLE_STAGING_SCHEMA: 'stg', JAFFLE_DBNAME: 'shop' });
    expect(result.code, result.stderr).toBe(0);
    const manifest = JSON.parse(await readFile(path.join(projectDir, 'build-output', 'manifest.json'), 'utf8'));
    expect(manifest.nodes['model.jaffle.big_customers'].config.materialized).toBe('table');
    // The profile's dbname, rendered, is the database of every node (dbt's relation parts).
    expect(manifest.nodes['model.jaffle.big_customers'].database).toBe('shop');
    // Kept for the runner and for other tools, as dbt's manifest v12 keeps them: hooks as operation nodes.
    expect(manifest.nodes['operation.jaffle.jaffle-on-run-start-0']).toMatchObject({ resource_type: 'operation', raw_code: 'select 1', index: 0 });
    expect(manifest.nodes['operation.jaffle.jaffle-on-run-end-0']).toMatchObject({ resource_type: 'operation', raw_code: 'select 2', index: 0 });
    expect(Object.keys(manifest.unit_tests)).toEqual(['unit_test.jaffle.big_customers.keeps_big_totals']);
    // v12's Exposure: depends_on holds node ids; the YAML's list is kept in meta.pgshift.
    expect(manifest.exposures['exposure.jaffle.payments_dashboard']).toMatchObject({
      type: 'dashboard',
      owner: { name: 'Finance' },
      depends_on: { macros: [], nodes: ['model.jaffle.big_customers'] },
      meta: { pgshift: { depends_on: ["ref('big_customers')"] } },
    });
    expect(Object.keys(manifest.groups)).toEqual(['group.jaffle.finance']);
    const model = manifest.nodes['model.jaffle.big_customers'];
    expect(model).toMatchObject({ access: 'public', group: 'finance', latest_version: 1 });
    expect(model.meta.pgshift.properties).toEqual({ access: 'public', group: 'finance', latest_version: 1, versions: [{ v: 1 }] });
  });
});
