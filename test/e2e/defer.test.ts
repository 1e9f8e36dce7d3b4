// dbt's --defer --state: a development run builds only the model being worked on, and its refs
// to models it neither builds nor finds in the development schema read production's relations.
// https://docs.getdbt.com/reference/node-selection/defer

import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';
import { createTestDatabase, type TestDatabase } from '../support/test-env.js';
import { testPool } from '../support/test-pool.js';

const PROFILE = (schema: string) => `
      type: postgres
      host: "{{ env_var('DEFER_HOST') }}"
      port: "{{ env_var('DEFER_PORT') | as_number }}"
      user: "{{ env_var('DEFER_USER') }}"
      password: "{{ env_var('DEFER_PASSWORD') }}"
      dbname: "{{ env_var('DEFER_DBNAME') }}"
      schema: ${schema}`;

describe('--defer --state', () => {
  let warehouse: TestDatabase;
  let projectDir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    warehouse = await createTestDatabase('defer');
    projectDir = await mkdtemp(path.join(tmpdir(), 'pgshift-defer-'));
    await mkdir(path.join(projectDir, 'models'));
    await writeFile(path.join(projectDir, 'dbt_project.yml'), 'name: shop\nprofile: shop\nmodels:\n  shop:\n    +materialized: table\n');
    await writeFile(path.join(projectDir, 'profiles.yml'), `shop:\n  target: dev\n  outputs:\n    prod:${PROFILE('prod')}\n    dev:${PROFILE('dev')}\n`);
    await writeFile(path.join(projectDir, 'models', 'orders.sql'), "select 1 as id, '{{ target.name }}' as built_by");
    await writeFile(
      path.join(projectDir, 'models', 'order_count.sql'),
      "select count(*) as n, max(built_by) as read_from, '{{ ref('orders').schema }}' as parent_schema from {{ ref('orders') }}",
    );
    const url = new URL(warehouse.url);
    env = {
      DEFER_HOST: url.hostname,
      DEFER_PORT: url.port || '5432',
      DEFER_USER: decodeURIComponent(url.username) || 'postgres',
      DEFER_PASSWORD: decodeURIComponent(url.password) || 'unused',
      DEFER_DBNAME: warehouse.name,
      DBT_PROFILES_DIR: '',
      // A target named prod hashes PII with the key from the secrets store.
      PGSHIFT_PII_KEY: 'defer-test-key',
    };
    const prod = await runCli(['--project-dir', projectDir, 'build', '--target', 'prod', '--target-path', 'prod-state'], env);
    expect(prod.code, prod.stderr).toBe(0);
  });

  afterAll(async () => {
    await rm(projectDir, { recursive: true, force: true });
    await warehouse.drop();
  });

  const readCount = async () => {
    const db = testPool({ connectionString: warehouse.url });
    try {
      return (await db.query('select n::int as n, read_from, parent_schema from dev.order_count')).rows;
    } finally {
      await db.end();
    }
  };

  it('without it, a model whose parent the development schema lacks fails', async () => {
    const result = await runCli(['--project-dir', projectDir, 'run', '--select', 'order_count'], env);
    expect(result.code).toBe(1);
    expect(result.stderr + result.stdout).toMatch(/"dev"\."orders"|relation .*orders.* does not exist/);
  });

  it("reads production's relation for the parent it does not build", async () => {
    const result = await runCli(
      ['--project-dir', projectDir, 'run', '--select', 'order_count', '--defer', '--state', path.join(projectDir, 'prod-state')],
      env,
    );
    expect(result.code, result.stderr).toBe(0);
    // The relation's parts say the same as its name: ref('orders').schema is production's too.
    expect(await readCount()).toEqual([{ n: 1, read_from: 'prod', parent_schema: 'prod' }]);
  });

  it('reads the development relation once the parent exists there', async () => {
    const parent = await runCli(['--project-dir', projectDir, 'run', '--select', 'orders'], env);
    expect(parent.code, parent.stderr).toBe(0);
    const result = await runCli(
      ['--project-dir', projectDir, 'run', '--select', 'order_count', '--defer', '--state', path.join(projectDir, 'prod-state')],
      env,
    );
    expect(result.code, result.stderr).toBe(0);
    expect(await readCount()).toEqual([{ n: 1, read_from: 'dev', parent_schema: 'dev' }]);
  });

  it('needs --state, and says so', async () => {
    const result = await runCli(['--project-dir', projectDir, 'run', '--select', 'order_count', '--defer'], env);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('--defer needs --state <dir>');
    // Not the run's own target folder: its manifest.json is the one this run writes.
    const own = await runCli(['--project-dir', projectDir, 'run', '--select', 'order_count', '--defer', '--state', path.join(projectDir, 'target')], env);
    expect(own.code).toBe(1);
    expect(own.stderr).toContain("that is this run's own target folder");
  });
});
