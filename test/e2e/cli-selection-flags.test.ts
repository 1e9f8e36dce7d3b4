// The selection flags as dbt users type them, through the real CLI on the shop project: several
// values after one flag, -m/--models, list, --resource-type / --exclude-resource-type,
// --indirect-selection (and its environment variable), and the warning when nothing is selected.
// Listing compiles only, so no database is needed.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRunResults } from '../../src/run/run-results.js';
import { runCli } from '../support/run-cli.js';

const NO_SECRETS = {
  PGSHIFT_PROJECT_DIR: path.resolve('.'),
  PGSHIFT_WAREHOUSE_URL: '',
  PGSHIFT_SOURCE_URL: '',
  PGSHIFT_PII_KEY: '',
  PGSHIFT_INDIRECT_SELECTION: '',
  DBT_INDIRECT_SELECTION: '',
};

async function list(args: string[], env: Record<string, string> = {}): Promise<string[]> {
  const result = await runCli(args, { ...NO_SECRETS, ...env });
  expect(result.code, result.stderr).toBe(0);
  return result.stdout.split('\n').filter(Boolean);
}

describe('selection flags as dbt accepts them', () => {
  it('takes several values after one --select, -s, -m or --exclude, and stops at the next flag', async () => {
    expect(await list(['ls', '--select', 'stg_orders', 'dim_customers', '--resource-type', 'model'])).toEqual([
      'shop_analytics.marts.dim_customers',
      'shop_analytics.staging.stg_orders',
    ]);
    expect(await list(['list', '-m', 'stg_orders', 'dim_customers', '--exclude', 'dim_customers', 'stg_sales', '--resource-type', 'model'])).toEqual([
      'shop_analytics.staging.stg_orders',
    ]);
    expect(await list(['ls', '-s', 'stg_orders', '-s', 'dim_customers', '--resource-type', 'model'])).toHaveLength(2);
  });

  it('keeps the resource types named by repeated --resource-type, and drops --exclude-resource-type', async () => {
    const both = await list(['ls', '-s', 'stg_orders', '--resource-type', 'model', '--resource-type', 'test']);
    expect(both).toContain('shop_analytics.staging.stg_orders');
    expect(both).toContain('shop_analytics.staging.not_null_stg_orders_order_id');
    const noTests = await list(['ls', '-s', 'stg_orders', '--exclude-resource-type', 'test']);
    expect(noTests).toEqual(['shop_analytics.staging.stg_orders']);
  });

  it('names a misspelt resource type in one line', async () => {
    const result = await runCli(['ls', '--resource-type', 'modle'], NO_SECRETS);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe("error: --resource-type modle: expected one of model, seed, snapshot, test, unit_test, source; did you mean 'model'?\n");
  });

  it('selects tests eagerly by default, cautiously or not at all on request, from the flag or the environment', async () => {
    // relationships_stg_sales_order_id__… has two parents: stg_sales and stg_orders.
    const relationships = 'shop_analytics.staging.relationships_stg_sales_order_id__order_id__ref_stg_orders_';
    expect(await list(['ls', '-s', 'stg_orders'])).toContain(relationships);
    expect(await list(['ls', '-s', 'stg_orders', '--indirect-selection', 'cautious'])).not.toContain(relationships);
    expect(await list(['ls', '-s', 'stg_orders'], { DBT_INDIRECT_SELECTION: 'cautious' })).not.toContain(relationships);
    expect(await list(['ls', '-s', 'stg_orders', '--indirect-selection', 'empty'])).toEqual(['shop_analytics.staging.stg_orders']);
  });

  it("says dbt's 'No nodes selected!', and exits 0, when ls selects no node", async () => {
    const result = await runCli(['ls', '-s', 'stg_orders,dim_customers'], NO_SECRETS);
    expect(result.code).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/WARN No nodes selected! \(--select stg_orders,dim_customers\)/);
  });

  it("says dbt's 'Nothing to do', exits 0 and connects to nothing when a run selects no node", async () => {
    // Nothing listens on port 1: a run that tried to connect would fail.
    const unreachable = {
      ...NO_SECRETS,
      PGSHIFT_WAREHOUSE_URL: 'postgres://nobody@127.0.0.1:1/none',
      PGSHIFT_SOURCE_URL: 'postgres://nobody@127.0.0.1:1/none',
    };
    const targetPath = await mkdtemp(path.join(tmpdir(), 'pgshift-nothing-selected-'));
    for (const args of [
      ['run', '-s', 'stg_orders', '--exclude', 'stg_orders', '--target-path', targetPath],
      ['build', '-s', 'stg_orders,dim_customers', '--target-path', targetPath],
    ]) {
      const result = await runCli(args, unreachable);
      expect(result.code, result.stderr).toBe(0);
      expect(result.stderr).toMatch(/WARN Nothing to do\. Try checking your model configs and model specification args \(--select /);
      expect(result.stderr).not.toMatch(/running \d+ node/);
    }
    // run_results.json says this run ran nothing, so `retry` has nothing of an older run to finish.
    const results = (await readRunResults(targetPath))!;
    await rm(targetPath, { recursive: true, force: true });
    expect(results.results).toEqual([]);
    expect(results.metadata.invocation.command).toBe('build');
  });
});

describe('--warn-error', () => {
  it('turns the warning of an empty selection into exit 1, and leaves a clean command at 0', async () => {
    const failed = await runCli(['--warn-error', 'ls', '-s', 'no_such_model'], NO_SECRETS);
    expect(failed.code).toBe(1);
    expect(failed.stderr).toMatch(/error: --warn-error: 2 warning\(s\) treated as errors; fix them or drop --warn-error\n$/);
    const clean = await runCli(['--warn-error', 'ls', '-s', 'stg_orders'], NO_SECRETS);
    expect(clean.code, clean.stderr).toBe(0);
  });
});
