// run_results.json is written as the run goes, so `pgshift retry` finishes a run that was
// killed (SIGKILL, nothing runs on the way out), and a retry that completes a failed run
// writes the day's report as the run would have.

import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulateShopDay } from '../../src/local/shop-data.js';
import { type DbtRunResults, readRunResults, type RunResultsFile } from '../../src/run/run-results.js';
import { editFile } from '../support/project-copy.js';
import { runCli, startCli } from '../support/run-cli.js';
import { createShopFixture, type ShopFixture } from '../support/shop-project.js';
import { waitFor } from '../support/wait-for.js';

describe('pgshift retry after a crashed or failed run', () => {
  let fixture: ShopFixture;
  let env: Record<string, string>;
  const args = (...rest: string[]) => ['--project-dir', fixture.projectDir, '--target', 'dev', ...rest];
  const resultsFile = () => path.join(fixture.projectDir, 'target', 'run_results.json');
  // Undefined before the first write; a half-written file would throw and fail the test.
  const readResults = (): Promise<RunResultsFile | undefined> => readRunResults(path.dirname(resultsFile()));
  const statuses = (file: RunResultsFile) => file.results.map((result) => result.status);
  const reportOf = (day: string) => path.join(fixture.projectDir, 'target', 'reports', day, 'index.html');

  beforeAll(async () => {
    fixture = await createShopFixture('retry_crash', 'retry-crash-test-key');
    env = { ...fixture.env, PGSHIFT_WAREHOUSE_URL: fixture.warehouse.url };
  });
  afterAll(async () => fixture?.close());

  it('re-runs what a run killed with SIGKILL left unfinished, and exits 0', { timeout: 240_000 }, async () => {
    const run = startCli(args('run', '--start', '2026-10-01', '--end', '2026-11-22'), env);
    // Killed once the file shows some nodes done and others not yet.
    const seen = await waitFor(
      async () => {
        const file = await readResults();
        if (!file) return undefined;
        const done = statuses(file).filter((status) => status === 'success').length;
        return done >= 3 && statuses(file).includes('pending') ? file : undefined;
      },
      run.exited,
      'run_results.json with finished and pending nodes',
    );
    run.child.kill('SIGKILL');
    const killed = await run.exited;
    expect(killed.signal).toBe('SIGKILL');
    const left = (await readResults())!;
    expect(left.results.length).toBe(seen.results.length);
    const unfinished = left.results.filter((result) => result.status === 'pending' || result.status === 'running').map((result) => result.unique_id);
    expect(unfinished.length).toBeGreaterThan(0);
    expect(existsSync(reportOf('2026-11-21'))).toBe(false);

    const retry = await runCli(args('retry'), env);
    expect(retry.code, retry.stderr).toBe(0);
    expect(retry.stderr).not.toMatch(/nothing to do/);
    const after = (await readResults())!;
    // The whole run: what finished before the kill, carried, and what the retry ran.
    // The after-run steps were pending when the run was killed; done now, they leave no entry.
    const nodeIds = (file: RunResultsFile) =>
      file.results
        .map((result) => result.unique_id)
        .filter((id) => !id.startsWith('operation.'))
        .sort();
    expect(left.results.filter((result) => result.unique_id.startsWith('operation.')).map((result) => result.status)).toEqual(['pending', 'pending']);
    expect(nodeIds(after)).toEqual(nodeIds(left));
    expect(after.results.filter((result) => !['success', 'pass'].includes(result.status))).toEqual([]);
    expect(after.metadata.invocation).toMatchObject({ command: 'retry', retryOf: 'run', interval: { start: '2026-10-01T00:00:00.000Z' } });
    const { rows } = await fixture.db.query('select count(*)::int as n, count(distinct order_id)::int as keys from analytics_marts.fct_orders');
    expect(rows[0].n).toBe(rows[0].keys);
    expect(existsSync(reportOf('2026-11-21'))).toBe(true);
  });

  it('writes the report when a retry completes a run that failed', { timeout: 240_000 }, async () => {
    const model = 'models/marts/dim_products.sql';
    const original = await readFile(path.join(fixture.projectDir, model), 'utf8');
    await editFile(fixture.projectDir, model, (text) => text.replace("{{ ref('stg_products') }}", "{{ ref('stg_products') }} where no_such_column"));
    await simulateShopDay(fixture.src, { seed: 7, date: '2026-11-22', newOrders: 40, updatedOrders: 20, lateOrders: 5 });
    const failed = await runCli(args('run', '--date', '2026-11-22'), env);
    expect(failed.code).toBe(1);
    expect(existsSync(reportOf('2026-11-22'))).toBe(false);

    await editFile(fixture.projectDir, model, () => original);
    const retry = await runCli(args('retry'), env);
    expect(retry.code, retry.stderr).toBe(0);
    expect(existsSync(reportOf('2026-11-22'))).toBe(true);
  });
  it('reconciles the grants again when the run was killed while granting', { timeout: 240_000 }, async () => {
    // What a run killed during its grants leaves behind: every node done, the step still pending
    // (the writer lists each after-run step as pending until the run ends).
    const step = 'operation.grants.reconcile';
    // The file as written (dbt's run-results v6): a pending entry is `skipped` with its state under adapter_response.pgshift.
    const finished = JSON.parse(await readFile(resultsFile(), 'utf8')) as DbtRunResults;
    const template = finished.results.find((result) => result.status === 'success')!;
    const pending = { ...template, unique_id: step, status: 'skipped', adapter_response: { pgshift: { state: 'pending', compiled_path: null } } };
    const killed = { ...finished, results: [...finished.results.filter((result) => result.unique_id !== step), pending] };
    await writeFile(resultsFile(), JSON.stringify(killed));
    // …and a grant the reconcile had not made yet.
    const reader = `${fixture.rolePrefix}marketing`;
    await fixture.db.query(`revoke select on analytics_marts.dim_customers from "${reader}"`);
    const canRead = async () =>
      (await fixture.db.query(`select has_table_privilege($1, 'analytics_marts.dim_customers', 'select') as ok`, [reader])).rows[0].ok as boolean;
    expect(await canRead()).toBe(false);

    const retry = await runCli(args('retry'), env);
    expect(retry.code, retry.stderr).toBe(0);
    expect(retry.stderr).not.toMatch(/nothing to do/);
    expect(await canRead()).toBe(true);
    const after = (await readResults())!;
    expect(after.results.filter((result) => result.unique_id === step)).toEqual([]);
    expect(after.results.filter((result) => !['success', 'pass'].includes(result.status))).toEqual([]);
  });
});
