// The package fixtures installed by deps (from a git repository and a local folder) and compiled
// for Redshift: the packages' dispatched macros pick their redshift__ forms, the root project's
// postgres__ shim still wins over the package's default__ (dbt-redshift inherits postgres
// macros), and the package's generic test compiles in the root project's schema.yml.

import { rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileProject, type CompiledProject } from '../../src/compile/index.js';
import { loadProject } from '../../src/config/load-project.js';
import { installPackages } from '../../src/project-files/install-packages.js';
import { loadProjectFiles } from '../../src/project-files/load-project-files.js';
import { preparePackageFixtures, type PackageFixtures } from '../support/package-fixtures.js';

describe('packages compiled for redshift', () => {
  let fixtures: PackageFixtures;
  let compiled: CompiledProject;

  beforeAll(async () => {
    fixtures = await preparePackageFixtures();
    const project = await loadProject(fixtures.projectDir, { profilesDir: fixtures.projectDir, env: {} });
    await installPackages(project);
    compiled = compileProject(await loadProjectFiles(project), { target: { name: 'prod', type: 'redshift', schema: 'analytics' }, env: {} });
  });

  afterAll(async () => {
    await rm(fixtures.root, { recursive: true, force: true });
  });

  const sqlOf = (uniqueId: string): string | undefined => {
    const node = compiled.manifest.nodes[uniqueId];
    return node && 'compiled_code' in node ? node.compiled_code.trim() : undefined;
  };

  it('dispatches the surrogate key to redshift__, and cents_to_dollars to the root project shim', () => {
    expect(sqlOf('model.shop_pkgs.order_keys')).toBe(
      [
        'select',
        "  md5(coalesce(cast(order_id as varchar(256)), '_pgshift_null_') || '-' || coalesce(cast(customer_id as varchar(256)), '_pgshift_null_')) as order_key,",
        "  'shadowed' as own_macro,",
        '  *,',
        '  round(amount_cents / 100.0, 2) as amount',
        'from "analytics"."orders"',
      ].join('\n'),
    );
  });

  it('compiles git_utils.expression_is_true from the root schema.yml', () => {
    expect(sqlOf('test.shop_pkgs.git_utils_expression_is_true_order_keys_amount_0')).toBe('select *\nfrom "analytics"."order_keys"\nwhere not (amount > 0)');
  });

  it('lists the packages macros in the manifest under their own package', () => {
    expect(compiled.manifest.macros['macro.git_utils.generate_surrogate_key']?.original_file_path).toBe(
      'dbt_packages/git_utils/macros/generate_surrogate_key.sql',
    );
    expect(compiled.manifest.macros['macro.pkg_helpers.null_placeholder']?.original_file_path).toBe('dbt_packages/pkg_helpers/macros/null_placeholder.sql');
    expect(compiled.manifest.macros['macro.shop_pkgs.generate_surrogate_key']?.original_file_path).toBe('macros/overrides.sql');
  });
});
