// `pgshift parse` as dbt's (https://docs.getdbt.com/reference/commands/parse): the project read
// and checked with no connection settings at all, target/manifest.json written (no compiled
// files), a one-line summary of what was found, and a bad project refused in one line.

import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';

describe('pgshift parse', () => {
  let projectDir: string;
  // No host, user or password: parse reads none of them (the fixture's account_summary renders target.dbname).
  const env = { DBT_PROFILES_DIR: '', JAFFLE_DBNAME: 'jaffle' };

  beforeAll(async () => {
    projectDir = await mkdtemp(path.join(tmpdir(), 'pgshift-parse-'));
    await cp(path.resolve('test', 'fixtures', 'dbt-project'), projectDir, { recursive: true });
  });

  afterAll(async () => {
    await rm(projectDir, { recursive: true, force: true });
  });

  it('writes target/manifest.json without connection settings and says what it found', async () => {
    const result = await runCli(['--project-dir', projectDir, 'parse'], env);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr + result.stdout).toMatch(/Found 3 models, 1 seed, 5 data tests, 1 unit test, 1 source\n/);
    const manifest = JSON.parse(await readFile(path.join(projectDir, 'build-output', 'manifest.json'), 'utf8'));
    expect(Object.keys(manifest.nodes)).toContain('model.jaffle.big_customers');
    // dbt's v12, as compile writes it: --state and docs --no-compile read it back.
    expect(manifest.metadata.dbt_schema_version).toBe('https://schemas.getdbt.com/dbt/manifest/v12.json');
    // dbt's parse writes no compiled files; compile does.
    expect(await readdir(path.join(projectDir, 'build-output'))).not.toContain('compiled');
  });

  it('refuses a project with a broken reference in one line, exit 1', async () => {
    await writeFile(path.join(projectDir, 'transform', 'marts', 'broken.sql'), "select * from {{ ref('no_such_model') }}\n");
    const result = await runCli(['--project-dir', projectDir, 'parse'], env);
    expect(result.code).toBe(1);
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines.at(-1)).toMatch(/^error: transform\/marts\/broken\.sql:1: ref\('no_such_model'\) does not match any model or seed/);
  });
});

describe("dbt_project.yml's data_tests: configs", () => {
  let projectDir: string;

  beforeAll(async () => {
    projectDir = await mkdtemp(path.join(tmpdir(), 'pgshift-test-configs-'));
    await cp(path.resolve('test', 'fixtures', 'dbt-project'), projectDir, { recursive: true });
    const file = path.join(projectDir, 'dbt_project.yml');
    const text = await readFile(file, 'utf8');
    // By fqn, as dbt matches them: the project, then folders, then the test's name.
    const configs = `data_tests:
  jaffle:
    +severity: error
    +store_failures: true
    no_negative_totals:
      +severity: warn
    not_null_big_customers_customer_id:
      +store_failures_as: ephemeral
`;
    await writeFile(file, text.replace(/data_tests:\n {2}jaffle:\n {4}\+severity: error\n/, configs));
  });

  afterAll(async () => {
    await rm(projectDir, { recursive: true, force: true });
  });

  it('apply to generic and singular tests by fqn, beneath what a test says itself', async () => {
    const result = await runCli(['--project-dir', projectDir, 'parse'], { DBT_PROFILES_DIR: '', JAFFLE_DBNAME: 'jaffle' });
    expect(result.code, result.stderr).toBe(0);
    const { nodes } = JSON.parse(await readFile(path.join(projectDir, 'build-output', 'manifest.json'), 'utf8'));
    // Generic tests carry dbt's hashed ids in manifest.json: found by name.
    const named = (name: string) =>
      Object.values(nodes as Record<string, { name: string; relation_name: string | null; config: unknown }>).find((node) => node.name === name)!;
    expect(named('unique_big_customers_customer_id').relation_name).toBe('"analytics_dbt_test__audit"."unique_big_customers_customer_id"');
    expect(named('not_null_big_customers_customer_id').relation_name).toBeNull();
    expect(named('no_negative_totals').config).toMatchObject({ severity: 'warn', store_failures: true });
  });
});
