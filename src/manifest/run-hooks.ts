// The on-run-start and on-run-end hooks of a run, in the order dbt runs them: the installed
// packages' first (by package name), then the project's own, each list as written
// (https://docs.getdbt.com/reference/resource-configs/pre-hook-post-hook#execution-ordering:
// "Hooks from dependent packages will be run before hooks in the active package").

import type { Manifest } from './manifest.js';

export type RunHookKind = 'on-run-start' | 'on-run-end';

export interface RunHook {
  /** dbt's id of the hook's operation node: `operation.<package>.<package>-on-run-start-<index>`. */
  readonly uniqueId: string;
  readonly kind: RunHookKind;
  readonly packageName: string;
  /** Where it is declared, for messages: `dbt_project.yml`, `dbt_packages/audit/dbt_project.yml`. */
  readonly file: string;
  /** Its place in its file's list, from 0 as in dbt's ids. */
  readonly index: number;
  /** The SQL/Jinja as written. */
  readonly sql: string;
}

export function runHooksOf(manifest: Manifest, kind: RunHookKind): RunHook[] {
  const hooks = manifest.run_hooks;
  if (!hooks) return [];
  const key = kind === 'on-run-start' ? 'on_run_start' : 'on_run_end';
  const packages = [...(hooks.packages ?? [])].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const lists = [...packages, { name: manifest.metadata.project_name, file: 'dbt_project.yml', ...hooks }];
  return lists.flatMap((list) =>
    list[key].map((sql, index) => ({
      uniqueId: `operation.${list.name}.${list.name}-${kind}-${index}`,
      kind,
      packageName: list.name,
      file: list.file,
      index,
      sql,
    })),
  );
}

/** How a message names the hook: `on-run-start hook 2 (dbt_project.yml)`, counting from 1. */
export function describeRunHook(hook: RunHook): string {
  return `${hook.kind} hook ${hook.index + 1} (${hook.file})`;
}
