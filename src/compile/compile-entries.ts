// What the compiler keeps per file while it works: the parsed template and base config of a
// model or singular test, a seed's settled config and header, a generic test's parsed entry.
// Plus the path helpers that turn file paths into names and fqns.

import path from 'node:path';
import type { GenericTestSpec } from './generic-tests.js';
import type { MacroDefinition } from './macro-registry.js';
import type { ConfigLayer, SeedConfig, TestConfig } from '../manifest/node-config.js';
import type { Template } from './nunjucks-env.js';
import type { SeedFile, TextFile } from './project-files.js';
import type { RenderKind, RenderRecord } from './render-state.js';
import type { ColumnPatch, ModelPatch, SeedPatch } from './schema-yml.js';

/** A model or singular test: a template rendered to find its dependencies and SQL. */
export interface TemplateEntry {
  readonly uniqueId: string;
  readonly name: string;
  readonly kind: RenderKind;
  readonly file: TextFile;
  readonly template: Template;
  /** Folder and schema.yml config, before the file's own config(). */
  readonly baseLayer: ConfigLayer;
  readonly patch: ModelPatch | undefined;
  record?: RenderRecord;
}

export interface SeedEntry {
  readonly uniqueId: string;
  readonly name: string;
  readonly file: SeedFile;
  readonly config: SeedConfig;
  readonly header: string[];
  readonly patch: SeedPatch | undefined;
}

/** A schema.yml test: a generic test macro called on a model, seed or source column. */
export interface GenericTestEntry {
  readonly uniqueId: string;
  readonly name: string;
  /** The name, or a hashed short form when it is 64 characters or longer (for file names). */
  readonly shortName: string;
  readonly spec: GenericTestSpec;
  readonly file: string;
  readonly macro: MacroDefinition;
  readonly attachedId: string;
  /** The tested relation; calling it while the test renders records the dependency. */
  readonly relation: () => unknown;
  readonly column: ColumnPatch | undefined;
  readonly config: TestConfig;
  readonly fileKeyName: string;
  /** `models` or `seeds`: the folder the schema file sits in. */
  readonly resourceDir: string;
  record?: RenderRecord;
}

export function byPath(a: { path: string }, b: { path: string }): number {
  return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
}

/** `models/staging/stg_orders.sql` → `stg_orders`. */
export function stem(filePath: string): string {
  return path.posix.basename(filePath).replace(/\.[^.]+$/, '');
}

/**
 * `models/staging/stg_orders.sql` → `staging/stg_orders.sql`. `dir` may list several folders
 * (dbt_project.yml's model-paths); the first that holds the file is stripped.
 */
export function pathUnder(dir: string | readonly string[], filePath: string): string {
  for (const folder of typeof dir === 'string' ? [dir] : dir) {
    if (filePath.startsWith(`${folder}/`)) return filePath.slice(folder.length + 1);
  }
  return filePath;
}

/** `models/staging/stg_orders.sql` → ['staging', 'stg_orders']. */
export function segmentsUnder(dir: string | readonly string[], filePath: string): string[] {
  const parts = pathUnder(dir, filePath).split('/');
  parts[parts.length - 1] = parts[parts.length - 1]!.replace(/\.[^.]+$/, '');
  return parts;
}

const folderCache = new Map<string, string[]>();

/** `staging/schema.yml` → ['staging']; asked once per test, computed once per file. */
export function folderParts(fileUnderResourceDir: string): string[] {
  let parts = folderCache.get(fileUnderResourceDir);
  if (!parts) {
    parts = path.posix
      .dirname(fileUnderResourceDir)
      .split('/')
      .filter((part) => part !== '.');
    folderCache.set(fileUnderResourceDir, parts);
  }
  return parts;
}
