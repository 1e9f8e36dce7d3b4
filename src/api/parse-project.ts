// `pgshift parse`: dbt's parse (https://docs.getdbt.com/reference/commands/parse). Reads and
// checks the whole project (YAML, Jinja, refs, configs) without any connection and writes
// target/manifest.json, with no target/compiled/ files; a bad project fails with the usual
// one-line error. Compiling needs no warehouse here, so the manifest holds compiled_code too.

import { allNodes, type Manifest } from '../manifest/index.js';
import { writeSelectionCache } from '../project-files/selection-cache.js';
import { writeManifest } from '../project-files/write-artifacts.js';
import { targetDatabaseOf } from '../config/target.js';
import { compileInputs, readCompileInputs, selectionCacheKey } from './compile-stage.js';
import type { GraphOptions } from './graph-options.js';
import type { GlobalOptions } from './open-project.js';

export interface ParseResult {
  readonly manifestPath: string;
  /** dbt's `Found 3 models, 1 seed, …` line. */
  readonly summary: string;
  readonly seconds: number;
}

export async function parseProject(globals: GlobalOptions, options: Pick<GraphOptions, 'vars' | 'targetPath'>): Promise<ParseResult> {
  const started = Date.now();
  const inputs = await readCompileInputs(globals, options);
  const { compiled, targetDir } = compileInputs(inputs);
  const manifestPath = await writeManifest(compiled.manifest, targetDir, { database: targetDatabaseOf(inputs.targetSpec) });
  // What ls selects from next, as after a compile.
  writeSelectionCache(targetDir, selectionCacheKey(inputs), compiled.manifest);
  return { manifestPath, summary: foundLine(compiled.manifest), seconds: (Date.now() - started) / 1000 };
}

const KINDS: ReadonlyArray<readonly [string, (manifest: Manifest) => number]> = [
  ['model', (m) => count(m, 'model')],
  ['snapshot', (m) => count(m, 'snapshot')],
  ['seed', (m) => count(m, 'seed')],
  ['data test', (m) => count(m, 'test')],
  ['unit test', (m) => count(m, 'unit_test')],
  ['source', (m) => Object.keys(m.sources).length],
];

/** `Found 3 models, 1 seed, 4 data tests, 2 sources`, as dbt words it; kinds the project has none of are left out. */
export function foundLine(manifest: Manifest): string {
  const parts = KINDS.flatMap(([kind, of]) => {
    const n = of(manifest);
    return n === 0 ? [] : [`${n} ${kind}${n === 1 ? '' : 's'}`];
  });
  return parts.length === 0 ? 'Found nothing to build' : `Found ${parts.join(', ')}`;
}

function count(manifest: Manifest, type: string): number {
  return allNodes(manifest).filter((node) => node.resource_type === type).length;
}
