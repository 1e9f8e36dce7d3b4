// Folder-level configuration from pgshift.yml (`models:` and `seeds:`), dbt_project.yml style:
// nested mappings mirror the folders under models/ (or seeds/); keys that are config names,
// with or without a leading `+`, configure everything below that folder.

import { ConfigError } from '../errors.js';
import { validateConfigLayer } from './config-layer.js';
import { configKeys, mergeConfigLayers, normalizeConfigKey, type ConfigLayer } from '../manifest/node-config.js';
import { didYouMean } from '../util/suggest.js';
import { isRecord } from '../util/zod-issue.js';

// Config keys whose value is itself a mapping, so a mapping under them is not a folder.
const MAPPING_VALUED = new Set(['meta', 'grants', 'column_types', 'partition_by']);

export interface FolderConfigTree {
  readonly config: ConfigLayer;
  readonly children: ReadonlyMap<string, FolderConfigTree>;
  /** `models.staging`: where this level sits in pgshift.yml, for messages. */
  readonly keyPath: string;
}

/**
 * Validates a `models:` or `seeds:` tree. A key is a config key when it starts with `+` or is
 * a known config name; otherwise it is a folder (or a model/seed name) and must be a mapping.
 * A top-level key equal to the project name is accepted as the project root, as dbt writes it.
 */
export function parseFolderConfig(
  raw: unknown,
  kind: 'model' | 'seed' | 'snapshot' | 'test',
  rootKey: 'models' | 'seeds' | 'snapshots' | 'data_tests',
  projectName: string,
  file: string,
): FolderConfigTree {
  const known = new Set(configKeys(kind));
  const build = (node: unknown, keyPath: string, allowProjectKey: boolean): FolderConfigTree => {
    if (!isRecord(node)) throw new ConfigError(`${file}: ${keyPath} must be a mapping of folders and +config keys`, { file });
    const configRaw: Record<string, unknown> = {};
    const spelled: Record<string, string> = {};
    const children = new Map<string, FolderConfigTree>();
    let projectLevel: FolderConfigTree | undefined;
    for (const [key, value] of Object.entries(node)) {
      const configKey = normalizeConfigKey(key);
      const childPath = `${keyPath}.${key}`;
      if (key.startsWith('+') || (known.has(configKey) && (!isRecord(value) || MAPPING_VALUED.has(configKey)))) {
        if (!known.has(configKey)) {
          throw new ConfigError(`${file}: unknown ${kind} config key ${childPath}${didYouMean(configKey, known)}`, { file });
        }
        configRaw[configKey] = value;
        spelled[configKey] = key;
      } else if (isRecord(value)) {
        const child = build(value, childPath, false);
        if (allowProjectKey && key === projectName) projectLevel = child;
        else children.set(key, child);
      } else {
        const hint = didYouMean(configKey, known);
        throw new ConfigError(
          `${file}: ${childPath} is neither a ${kind} config key${hint ? ` (${hint.slice(2)})` : ''} nor a folder mapping; write config keys as +key: value`,
          { file },
        );
      }
    }
    const result = validateConfigLayer(kind, configRaw, keyPath);
    if (!result.ok) {
      // Report the key as written (`+materialized`), not as normalised.
      const written = Object.entries(spelled).reduce(
        (problem, [normal, original]) => problem.replace(`${keyPath}.${normal} `, `${keyPath}.${original} `),
        result.problem,
      );
      throw new ConfigError(`${file}: ${written}`, { file });
    }
    const level: FolderConfigTree = { config: result.layer, children, keyPath };
    if (!projectLevel) return level;
    // `models: {shop: {...}}` and `models: {...}` mean the same; merge when both are written.
    const mergedChildren = new Map(level.children);
    for (const [key, child] of projectLevel.children) mergedChildren.set(key, child);
    return { config: mergeConfigLayers(level.config, projectLevel.config), children: mergedChildren, keyPath };
  };
  return build(raw ?? {}, rootKey, true);
}

/**
 * The config layers that apply to a file at `segments` (folders then the file stem), from
 * the root down; records which tree levels were used so unused paths can be reported.
 */
export function folderLayers(tree: FolderConfigTree, segments: readonly string[], used?: Set<FolderConfigTree>): ConfigLayer[] {
  const layers: ConfigLayer[] = [tree.config];
  used?.add(tree);
  let level: FolderConfigTree | undefined = tree;
  for (const segment of segments) {
    level = level.children.get(segment);
    if (!level) break;
    used?.add(level);
    layers.push(level.config);
  }
  return layers;
}

/** Tree levels that matched no file: likely a misspelt folder name. */
export function unusedFolderPaths(tree: FolderConfigTree, used: ReadonlySet<FolderConfigTree>): string[] {
  const unused: string[] = [];
  const visit = (level: FolderConfigTree): void => {
    for (const child of level.children.values()) {
      if (!used.has(child)) unused.push(child.keyPath);
      else visit(child);
    }
  };
  visit(tree);
  return unused;
}
