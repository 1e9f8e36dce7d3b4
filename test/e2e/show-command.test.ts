// `pgshift show` as dbt's (https://docs.getdbt.com/reference/commands/show), on a dbt project:
// one node compiled from its source (its ephemeral models inlined, ref() to what is built),
// run under a limit, its rows printed as a table or JSON; an --inline query the same way.

import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/run-cli.js';
import { createTestDatabase, type TestDatabase } from '../support/test-env.js';
import { testPool } from '../support/test-pool.js';

/** The one line an error ends the output with (the project's load warnings come before it). */
function lastLine(text: string): string {
  return text.trimEnd().split('\n').at(-1)!;
}

describe('pgshift show', () => {
  let warehouse: TestDatabase;
  let projectDir: string;
  let env: Record<string, string>;

  const show = (args: string[]) => runCli(['--project-dir', projectDir, 'show', ...args], env);

  beforeAll(async () => {
    warehouse = await createTestDatabase('show_command');
    projectDir = await mkdtemp(path.join(tmpdir(), 'pgshift-show-'));
    await cp(path.resolve('test', 'fixtures', 'dbt-project'), projectDir, { recursive: true });
    // An ephemeral model has no relation: a preview of its child must inline it.
    await writeFile(
      path.join(projectDir, 'transform', 'marts', 'paying_customers.sql'),
      "{{ config(materialized='ephemeral') }}\nselect distinct customer_id from {{ ref('stg_payments') }}\n",
    );
    await writeFile(
      path.join(projectDir, 'transform', 'marts', 'customer_count.sql'),
      "select count(*)::int as customers from {{ ref('paying_customers') }}\n",
    );
    const url = new URL(warehouse.url);
    env = {
      JAFFLE_HOST: url.hostname,
      JAFFLE_PORT: url.port || '5432',
      JAFFLE_USER: decodeURIComponent(url.username) || 'postgres',
      JAFFLE_PASSWORD: decodeURIComponent(url.password) || 'unused',
      JAFFLE_DBNAME: warehouse.name,
      DBT_PROFILES_DIR: '',
    };
    // The table of the fixture's source only dbt YAML declares, loaded by something other than pgshift.
    const db = testPool({ connectionString: warehouse.url });
    try {
      await db.query('create schema crm; create table crm.crm_accounts (account_id int); insert into crm.crm_accounts values (1), (2), (3)');
    } finally {
      await db.end();
    }
    const built = await runCli(['--project-dir', projectDir, 'build', '--exclude', 'customer_count'], env);
    expect(built.code, built.stderr).toBe(0);
  });

  afterAll(async () => {
    await rm(projectDir, { recursive: true, force: true });
    await warehouse.drop();
  });

  it("prints dbt's 'Previewing node' line and the first 5 rows as a table, numbers right-aligned", async () => {
    const result = await show(['--select', 'stg_payments']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe(
      [
        "Previewing node 'stg_payments':",
        '| payment_id | customer_id | amount |',
        '| ---------- | ----------- | ------ |',
        '|          1 |           1 |      5 |',
        '|          2 |           1 |     20 |',
        '|          3 |           2 |     30 |',
        '|          4 |           3 |      2 |',
        '',
      ].join('\n'),
    );
  });

  it('limits the query in the warehouse with --limit, and fetches every row with --limit -1', async () => {
    const two = await show(['--select', 'stg_payments', '--limit', '2']);
    expect(two.code, two.stderr).toBe(0);
    expect(two.stdout.trim().split('\n')).toHaveLength(1 + 2 + 2);
    const all = await show(['-s', 'stg_payments', '--limit', '-1', '--output', 'json']);
    expect(all.code, all.stderr).toBe(0);
    expect(JSON.parse(all.stdout).show).toHaveLength(4);
  });

  it('compiles a model from its source, with its ephemeral parents inlined, even before it is built', async () => {
    // customer_count was left out of the build: show reads its query, not its relation.
    const result = await show(['--select', 'customer_count', '--output', 'json']);
    expect(result.code, result.stderr).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({ node: 'customer_count', show: [{ customers: 3 }] });
  });

  it('previews a seed from its relation, and a test by its failing rows', async () => {
    const seed = await show(['--select', 'raw_payments', '--limit', '1', '--output', 'json']);
    expect(seed.code, seed.stderr).toBe(0);
    expect(JSON.parse(seed.stdout).show).toHaveLength(1);
    const test = await show(['--select', 'no_negative_totals']);
    expect(test.code, test.stderr).toBe(0);
    expect(test.stdout).toBe("Previewing node 'no_negative_totals':\n| customer_id | total | region |\n| ----------- | ----- | ------ |\n");
  });

  it('runs an --inline query with ref() and vars', async () => {
    const result = await show(['--inline', "select customer_id, total from {{ ref('big_customers') }} where total >= {{ var('min_amount') }} order by 1"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toBe('Previewing inline node:\n| customer_id | total |\n| ----------- | ----- |\n|           1 |    25 |\n|           2 |    30 |\n');
  });

  it('refuses a selection of several nodes or none, and a call without --select or --inline, in one line', async () => {
    const several = await show(['--select', 'stg_payments', 'big_customers']);
    expect(several.code).toBe(1);
    expect(lastLine(several.stderr)).toBe(
      'error: show: --select stg_payments big_customers selects 2 nodes (stg_payments, big_customers); show previews one node, name just one',
    );
    const none = await show(['--select', 'stg_paymentz']);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(
      /^error: show: --select stg_paymentz selects no model, seed, snapshot or test \(The selection criterion 'stg_paymentz' does not match any enabled nodes\); name one, e.g\. --select stg_orders\n$/m,
    );
    const neither = await show([]);
    expect(neither.code).toBe(1);
    expect(lastLine(neither.stderr)).toBe('error: show: pass --select <node> or --inline "<query>"');
  });
});
