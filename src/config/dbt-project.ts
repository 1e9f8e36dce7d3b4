// Reads dbt_project.yml into DbtProjectSettings: folders, vars, resource config trees, run
// hooks. Values stay unrendered here: their Jinja (`{{ var('x') }}`) is rendered when the
// project compiles, with the run's vars and target (src/compile/project-config-values.ts).

import { ConfigError } from '../errors.js';
import { describeZodIssue, isRecord, knownKeysAt } from '../util/zod-issue.js';
import { dbtProjectSchema, type DbtProjectFile } from './dbt-project-schema.js';
import type { DbtProjectSettings, ProjectPaths } from './project.js';
import { readYaml } from './read-yaml.js';

export const DBT_PROJECT_FILE = 'dbt_project.yml';

/** Parses dbt_project.yml; `file` names it in messages. */
export function parseDbtProject(text: string, file: string): DbtProjectSettings {
  const input: unknown = readYaml(text, file) ?? {};
  const result = dbtProjectSchema.safeParse(input);
  if (!result.success) {
    const sentence = describeZodIssue(result.error.issues[0]!, input, '', (keyPath) => knownKeysAt(dbtProjectSchema, keyPath));
    throw new ConfigError(`${file}: ${sentence}`, { file });
  }
  const data = result.data;
  const warnings: string[] = [];
  if (data['require-dbt-version'] !== undefined) {
    warnings.push(
      `${file}: require-dbt-version ${JSON.stringify(data['require-dbt-version'])} is accepted but not checked: pgshift runs the project whatever dbt version it names`,
    );
  }
  if (data.tests && data.data_tests) {
    throw new ConfigError(`${file}: both tests: and data_tests: are set; keep data_tests (the dbt 1.8 name)`, { file });
  }
  return {
    file,
    name: data.name,
    profile: data.profile,
    version: data.version,
    paths: projectPaths(data),
    vars: projectVars(data.vars ?? {}, data.name),
    models: data.models ?? {},
    seeds: data.seeds ?? {},
    snapshots: data.snapshots ?? {},
    tests: data.data_tests ?? data.tests ?? {},
    onRunStart: toList(data['on-run-start']),
    onRunEnd: toList(data['on-run-end']),
    dispatch: data.dispatch ?? [],
    flags: data.flags ?? {},
    quoting: data.quoting ?? {},
    requireDbtVersion: data['require-dbt-version'],
    warnings,
    raw: data,
  };
}

function projectPaths(data: DbtProjectFile): ProjectPaths {
  return {
    models: data['model-paths'] ?? ['models'],
    seeds: data['seed-paths'] ?? ['seeds'],
    macros: data['macro-paths'] ?? ['macros'],
    snapshots: data['snapshot-paths'] ?? ['snapshots'],
    tests: data['test-paths'] ?? ['tests'],
    analyses: data['analysis-paths'] ?? ['analyses'],
    target: data['target-path'] ?? 'target',
    cleanTargets: data['clean-targets'] ?? ['target'],
  };
}

/**
 * The vars the root project sees: the global ones, with those scoped under its own name on
 * top. Vars scoped to another package are that package's; pgshift installs packages of macros only, which read none.
 * https://docs.getdbt.com/docs/build/project-variables
 */
export function projectVars(vars: Readonly<Record<string, unknown>>, projectName: string): Record<string, unknown> {
  const global: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(vars)) if (key !== projectName || !isRecord(value)) global[key] = value;
  const scoped = vars[projectName];
  return { ...global, ...(isRecord(scoped) ? scoped : {}) };
}

function toList(value: string | string[] | undefined): string[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}
