// The order and names of a run's on-run-start / on-run-end hooks, as dbt has them: installed
// packages' hooks first, by package name, then the project's; each list as written; ids
// `operation.<package>.<package>-on-run-start-<index>`, messages counting from 1.

import { describe, expect, it } from 'vitest';
import type { Manifest } from '../../src/manifest/manifest.js';
import { describeRunHook, runHooksOf } from '../../src/manifest/run-hooks.js';

function manifestWith(runHooks: Manifest['run_hooks']): Manifest {
  return { metadata: { project_name: 'shop' }, run_hooks: runHooks } as unknown as Manifest;
}

describe('runHooksOf', () => {
  const manifest = manifestWith({
    on_run_start: ['select 1', 'select 2'],
    on_run_end: ['select 3'],
    packages: [
      { name: 'zeta_audit', file: 'dbt_packages/zeta_audit/dbt_project.yml', on_run_start: ['select z'], on_run_end: [] },
      { name: 'alpha_logs', file: 'dbt_packages/alpha_logs/dbt_project.yml', on_run_start: ['select a'], on_run_end: ['select a_end'] },
    ],
  });

  it("runs the packages' hooks first, by package name, then the project's in its order", () => {
    expect(runHooksOf(manifest, 'on-run-start').map((hook) => [hook.uniqueId, hook.sql])).toEqual([
      ['operation.alpha_logs.alpha_logs-on-run-start-0', 'select a'],
      ['operation.zeta_audit.zeta_audit-on-run-start-0', 'select z'],
      ['operation.shop.shop-on-run-start-0', 'select 1'],
      ['operation.shop.shop-on-run-start-1', 'select 2'],
    ]);
    expect(runHooksOf(manifest, 'on-run-end').map((hook) => hook.uniqueId)).toEqual([
      'operation.alpha_logs.alpha_logs-on-run-end-0',
      'operation.shop.shop-on-run-end-0',
    ]);
  });

  it('names a hook by its place in its file, counting from 1', () => {
    const hooks = runHooksOf(manifest, 'on-run-start');
    expect(hooks.map(describeRunHook)).toEqual([
      'on-run-start hook 1 (dbt_packages/alpha_logs/dbt_project.yml)',
      'on-run-start hook 1 (dbt_packages/zeta_audit/dbt_project.yml)',
      'on-run-start hook 1 (dbt_project.yml)',
      'on-run-start hook 2 (dbt_project.yml)',
    ]);
  });

  it('has none for a project without dbt_project.yml', () => {
    expect(runHooksOf(manifestWith(undefined), 'on-run-end')).toEqual([]);
  });
});
