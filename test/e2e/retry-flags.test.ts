// `retry` finishes a run as that run was asked for: a failed model of `run --empty` is built
// again with no rows, not with all of them.

import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';
import { createTestDatabase, type TestDatabase } from '../support/test-env.js';
import { testPool } from '../support/test-pool.js';

describe('retry after a run with --empty', () => {
  let warehouse: TestDatabase;
  let projectDir: string;
  let env: Record<string, string>;

  beforeAll(async () => {
    warehouse = await createTestDatabase('retry_flags');
    projectDir = await mkdtemp(path.join(tmpdir(), 'pgshift-retry-flags-'));
    await mkdir(path.join(projectDir, 'models'));
    await mkdir(path.join(projectDir, 'seeds'));
    await writeFile(path.join(projectDir, 'dbt_project.yml'), 'name: shop\nprofile: shop\nmodels:\n  shop:\n    +materialized: table\n');
    const url = new URL(warehouse.url);
    await writeFile(
      path.join(projectDir, 'profiles.yml'),
      `shop:\n  target: dev\n  outputs:\n    dev:\n      type: postgres\n      host: "${url.hostname}"\n      port: ${url.port || 5432}\n      user: "${decodeURIComponent(url.username) || 'postgres'}"\n      password: "{{ env_var('RETRY_PASSWORD') }}"\n      dbname: "${warehouse.name}"\n      schema: analytics\n`,
    );
    await writeFile(path.join(projectDir, 'seeds', 'codes.csv'), 'code\na\nb\n');
    // Fails: the column does not exist.
    await writeFile(path.join(projectDir, 'models', 'code_list.sql'), "select code, nosuch from {{ ref('codes') }}");
    env = { RETRY_PASSWORD: decodeURIComponent(url.password) || 'unused', DBT_PROFILES_DIR: '' };
  });

  afterAll(async () => {
    await rm(projectDir, { recursive: true, force: true });
    await warehouse.drop();
  });

  it('builds the fixed model with no rows, as --empty asked', async () => {
    const first = await runCli(['--project-dir', projectDir, 'build', '--empty'], env);
    expect(first.code).toBe(1);
    await writeFile(path.join(projectDir, 'models', 'code_list.sql'), "select code from {{ ref('codes') }}");
    const retried = await runCli(['--project-dir', projectDir, 'retry'], env);
    expect(retried.code, retried.stderr).toBe(0);
    const db = testPool({ connectionString: warehouse.url });
    try {
      // The seed loaded in full (seeds do under --empty); the model read it as no rows.
      expect((await db.query('select count(*)::int as n from analytics.codes')).rows).toEqual([{ n: 2 }]);
      expect((await db.query('select count(*)::int as n from analytics.code_list')).rows).toEqual([{ n: 0 }]);
    } finally {
      await db.end();
    }
  });
});
