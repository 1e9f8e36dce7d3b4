// `freshness`: how recent each selected source's newest loaded row is, written to
// target/sources.json, dbt's sources v3 (run/sources-json.ts).

import { randomUUID } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { maskSecrets } from '../log/redact.js';
import path from 'node:path';
import { selectNodes } from '../graph/index.js';
import { checkFreshness, type FreshnessResult } from '../run/source-freshness.js';
import { toDbtSources } from '../run/sources-json.js';
import { openWarehouse } from '../warehouse/open-warehouse.js';
import { compileStage } from './compile-stage.js';
import type { GraphOptions } from './graph-options.js';
import { openRuntime, type GlobalOptions } from './runtime.js';

export async function sourceFreshness(globals: GlobalOptions, options: GraphOptions): Promise<FreshnessResult[]> {
  const { compiled, targetDir } = await compileStage(globals, options);
  const selection = selectNodes(compiled.manifest, { select: options.select, exclude: options.exclude, selector: options.selector, resourceTypes: ['source'] });
  const runtime = await openRuntime(globals);
  const warehouse = await openWarehouse(runtime.target(), () => runtime.s3());
  try {
    const now = new Date();
    const results = await checkFreshness(warehouse, compiled.manifest, selection.selected, now);
    await mkdir(targetDir, { recursive: true });
    const sources = toDbtSources(compiled.manifest, results, now, (Date.now() - now.getTime()) / 1000, randomUUID());
    // Error messages carry warehouse text: masked, as in run_results.json.
    await writeFile(path.join(targetDir, 'sources.json'), maskSecrets(JSON.stringify(sources, null, 2)));
    return results;
  } finally {
    await warehouse.close();
    await runtime.close();
  }
}
