// target/selection-cache.json: what `pgshift ls` needs of a compiled manifest (the graph, and
// each node's names, paths, tags, config and checksums; not its SQL or columns), stored by
// compile (and by an ls that had to compile) under the digests of the compilation's inputs.
// A later ls whose inputs have the same digests selects from it instead of compiling again.

import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { maskSecrets } from '../log/redact.js';
import type { Manifest } from '../manifest/manifest.js';

const FILE = 'selection-cache.json';
// Raised whenever what is stored changes shape, so an older file is never read as a newer one.
const FORMAT = 4;

/**
 * The fields of a node that selector methods (src/graph/selector-methods.ts) and `ls` read; the
 * rest (SQL, columns, descriptions, relation names) is most of a manifest's bytes.
 */
// unique_id is each row's key, so it is not stored twice.
const SELECTION_FIELDS = [
  'resource_type',
  'name',
  'package_name',
  'fqn',
  'original_file_path',
  'depends_on',
  'tags',
  'checksum',
  'config',
  'test_metadata',
] as const;

export interface SelectionCacheKey {
  /** compileInputsDigest: files, pgshift.yml, target, vars, interval, engine version. */
  readonly inputs: string;
  /** The environment variables the templates read, by name. */
  readonly envNames: readonly string[];
  /** environmentDigest of those names when the manifest was compiled. */
  readonly env: string;
}

interface StoredCache {
  readonly format: number;
  readonly inputs: string;
  readonly envNames: readonly string[];
  readonly env: string;
  /** Node configs, each distinct one once (most tests share one): nodes hold an index here. */
  readonly configs: unknown[];
  readonly manifest: Manifest;
}

export function selectionCachePath(targetDir: string): string {
  return path.join(targetDir, FILE);
}

export function writeSelectionCache(targetDir: string, key: SelectionCacheKey, manifest: Manifest): void {
  const configs: unknown[] = [];
  const indexOf = new Map<string, number>();
  const nodes: Record<string, unknown[]> = {};
  for (const [id, node] of Object.entries(manifest.nodes)) {
    const config = JSON.stringify(node.config);
    let index = indexOf.get(config);
    if (index === undefined) {
      index = configs.push(node.config) - 1;
      indexOf.set(config, index);
    }
    // test_type: and test_name: read what a test is; its arguments stay out.
    const testMetadata =
      node.resource_type === 'test' && node.test_metadata ? { name: node.test_metadata.name, namespace: node.test_metadata.namespace } : null;
    // A row of values in SELECTION_FIELDS' order: names repeated 50,000 times are half the bytes.
    nodes[id] = SELECTION_FIELDS.map((field) => (field === 'config' ? index : field === 'test_metadata' ? testMetadata : node[field]));
  }
  const stored = { format: FORMAT, ...key, configs, manifest: { ...manifest, nodes, child_map: {} } };
  mkdirSync(targetDir, { recursive: true });
  // Written aside and renamed: a reader sees the old file or the new one, never half of one.
  const file = selectionCachePath(targetDir);
  const partial = `${file}.${process.pid}.tmp`;
  // As in manifest.json: a secret a template read through env_var() never reaches the disk.
  writeFileSync(partial, maskSecrets(JSON.stringify(stored)));
  renameSync(partial, file);
}

/**
 * The stored manifest when its inputs digest is `inputs` and the environment variables it read
 * still digest to the same (`envDigest` computes that for the names stored); else undefined.
 * Nodes come back with the selection fields only (no SQL, columns, descriptions): for selecting
 * and listing, never for running.
 */
export function readSelectionCache(targetDir: string, inputs: string, envDigest: (names: readonly string[]) => string): Manifest | undefined {
  let stored: StoredCache;
  try {
    stored = JSON.parse(readFileSync(selectionCachePath(targetDir), 'utf8')) as StoredCache;
  } catch {
    // Missing, unreadable or cut short: a cache that cannot be read is compiled again.
    return undefined;
  }
  if (stored?.format !== FORMAT || stored.inputs !== inputs || !Array.isArray(stored.envNames)) return undefined;
  if (stored.env !== envDigest(stored.envNames)) return undefined;
  const nodes: Record<string, Record<string, unknown>> = {};
  for (const [id, row] of Object.entries(stored.manifest.nodes as unknown as Record<string, unknown[]>)) {
    const node: Record<string, unknown> = { unique_id: id };
    SELECTION_FIELDS.forEach((field, index) => {
      node[field] = row[index];
    });
    node.config = stored.configs[node.config as number];
    if (node.resource_type !== 'test') delete node.test_metadata;
    nodes[id] = node;
  }
  return { ...stored.manifest, nodes: nodes as unknown as Manifest['nodes'] };
}
