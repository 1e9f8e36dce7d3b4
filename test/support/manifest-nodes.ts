// Hand-made manifest nodes for tests that exercise materializations without compiling a
// project: every field filled the way the compiler fills it.

import type { ModelNode, SeedNode, TestNode } from '../../src/manifest/manifest.js';
import { type ConfigLayer, resolveModelConfig, resolveSeedConfig, resolveTestConfig } from '../../src/manifest/node-config.js';

const common = (name: string, path: string, originalFilePath: string) => ({
  name,
  package_name: 'shop',
  fqn: ['shop', name],
  path,
  original_file_path: originalFilePath,
  depends_on: { nodes: [], macros: [] },
  tags: [],
  description: '',
  meta: {},
  checksum: { name: 'sha256' as const, checksum: '' },
});

export function modelNode(name: string, config: ConfigLayer, options: { sql?: string; alias?: string } = {}): ModelNode {
  const alias = options.alias ?? name;
  const sql = options.sql ?? '';
  return {
    ...common(name, `${name}.sql`, `models/${name}.sql`),
    unique_id: `model.shop.${name}`,
    resource_type: 'model',
    config: resolveModelConfig(config),
    schema: 'analytics',
    alias,
    relation_name: `"analytics"."${alias}"`,
    raw_code: sql,
    compiled_code: sql,
    compiled_pre_hook: [],
    compiled_post_hook: [],
    compiled_path: `target/compiled/${name}.sql`,
    refs: [],
    sources: [],
    columns: {},
    contract: { enforced: false, alias_types: true, checksum: null },
    constraints: [],
    patch_path: null,
    unrendered_config: {},
  };
}

export function seedNode(name: string, columnNames: string[], config: ConfigLayer = {}): SeedNode {
  return {
    ...common(name, `${name}.csv`, `seeds/${name}.csv`),
    unique_id: `seed.shop.${name}`,
    resource_type: 'seed',
    config: resolveSeedConfig(config),
    schema: 'reference',
    alias: name,
    relation_name: `"reference"."${name}"`,
    columns: {},
    column_names: columnNames,
    patch_path: null,
  };
}

export function testNode(sql: string, config: ConfigLayer = {}, name = 'orders_check'): TestNode {
  return {
    ...common(name, `${name}.sql`, `tests/${name}.sql`),
    unique_id: `test.shop.${name}`,
    resource_type: 'test',
    config: resolveTestConfig(config),
    raw_code: sql,
    compiled_code: sql,
    compiled_path: '',
    test_metadata: null,
    column_name: null,
    attached_node: null,
    file_key_name: null,
    refs: [],
    sources: [],
  };
}
