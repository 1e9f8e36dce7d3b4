// The shape of dbt_project.yml as dbt 1.8–1.10 writes it
// (https://docs.getdbt.com/reference/dbt_project.yml). Strict, like pgshift.yml: an unknown
// key is an error naming it. Resource config trees (`models:`, `seeds:` …) stay loose here:
// compile/folder-config.ts checks their `+keys` against each resource type's config.

import { z } from 'zod';

const identifier = z.string().min(1, 'must not be empty');
const paths = z.array(identifier).min(1, 'must list at least one folder');
const configTree = z.record(z.string(), z.unknown());
const hooks = z.union([z.string(), z.array(z.string())], { error: 'must be a SQL statement or a list of them' });

export const dbtProjectSchema = z.strictObject({
  name: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'must be letters, digits and _, not starting with a digit'),
  version: z.union([z.string(), z.number()]).optional(),
  'config-version': z.literal(2, { error: 'must be 2 (the only version dbt 1.x reads)' }).optional(),
  profile: identifier.optional(),
  'model-paths': paths.optional(),
  'seed-paths': paths.optional(),
  'macro-paths': paths.optional(),
  'snapshot-paths': paths.optional(),
  'test-paths': paths.optional(),
  'analysis-paths': paths.optional(),
  'docs-paths': paths.optional(),
  'asset-paths': z.array(identifier).optional(),
  'function-paths': z.array(identifier).optional(),
  'target-path': identifier.optional(),
  'log-path': identifier.optional(),
  'packages-install-path': identifier.optional(),
  'clean-targets': z.array(identifier).optional(),
  'require-dbt-version': z.union([z.string(), z.array(z.string())]).optional(),
  'query-comment': z.unknown().optional(),
  vars: z.record(z.string(), z.unknown()).optional(),
  models: configTree.optional(),
  seeds: configTree.optional(),
  snapshots: configTree.optional(),
  tests: configTree.optional(),
  data_tests: configTree.optional(),
  unit_tests: configTree.optional(),
  sources: configTree.optional(),
  metrics: configTree.optional(),
  'semantic-models': configTree.optional(),
  'saved-queries': configTree.optional(),
  exposures: configTree.optional(),
  analyses: configTree.optional(),
  'on-run-start': hooks.optional(),
  'on-run-end': hooks.optional(),
  dispatch: z.array(z.strictObject({ macro_namespace: identifier, search_order: z.array(identifier) })).optional(),
  flags: z.record(z.string(), z.unknown()).optional(),
  quoting: z.strictObject({ database: z.boolean().optional(), schema: z.boolean().optional(), identifier: z.boolean().optional() }).optional(),
});

export type DbtProjectFile = z.infer<typeof dbtProjectSchema>;
