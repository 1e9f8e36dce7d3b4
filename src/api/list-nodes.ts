// `ls`: compile, then select, and return the nodes a selection picks, in graph order. When
// target/ holds the selection cache of a compilation with the same inputs (files, pgshift.yml,
// target, vars, interval, the environment variables its templates read), that manifest is
// selected from instead: listing needs no SQL, and compiling a large project takes seconds.

import { noNodesSelected, selectNodes } from '../graph/index.js';
import { logger } from '../log/logger.js';
import { getNode, type AnyNode, type Manifest } from '../manifest/index.js';
import { readSelectionCache, writeSelectionCache } from '../project-files/selection-cache.js';
import { cacheEnvironmentDigest, compileInputs, readCompileInputs, selectionCacheKey } from './compile-stage.js';
import { describeSelection, type GraphOptions } from './graph-options.js';
import { readState } from './read-state.js';
import type { GlobalOptions } from './open-project.js';

/** An exposure as ls lists it: what dbt's `ls` prints of one. */
export interface ListedExposure {
  readonly unique_id: string;
  readonly name: string;
  readonly resource_type: 'exposure';
  readonly original_file_path: string;
  readonly depends_on: { readonly nodes: readonly string[] };
  readonly fqn: readonly string[];
}

export async function listNodes(globals: GlobalOptions, options: GraphOptions): Promise<Array<AnyNode | ListedExposure>> {
  const inputs = await readCompileInputs(globals, options);
  let manifest: Manifest | undefined = readSelectionCache(inputs.targetDir, inputs.digest, cacheEnvironmentDigest);
  if (manifest) {
    // The warnings a compilation of these inputs gives, as if it had just run.
    for (const warning of manifest.warnings) logger.warn(warning);
  } else {
    manifest = compileInputs(inputs).compiled.manifest;
    try {
      writeSelectionCache(inputs.targetDir, selectionCacheKey(inputs), manifest);
    } catch (error) {
      // Listing works without the cache (a read-only checkout): only the next ls is slower.
      logger.debug(`could not store the selection cache in ${inputs.targetDir}: ${(error as Error).message}`);
    }
  }
  const selection = selectNodes(manifest, {
    select: options.select,
    exclude: options.exclude,
    selector: options.selector,
    ...(await readState(inputs.project, options)),
    resourceTypes: options.resourceType?.length ? options.resourceType : undefined,
    excludeResourceTypes: options.excludeResourceType,
    indirectSelection: options.indirectSelection,
  });
  for (const warning of selection.warnings) logger.warn(warning);
  const nodes = selection.selected.flatMap((id) => {
    const found = getNode(manifest, id);
    return found ? [found] : [];
  });
  const exposures = selection.exposures.map((id): ListedExposure => {
    const exposure = manifest.exposures![id]!;
    return {
      unique_id: id,
      name: exposure.name,
      resource_type: 'exposure',
      original_file_path: exposure.original_file_path,
      depends_on: { nodes: exposure.depends_on?.nodes ?? [] },
      fqn: [manifest.metadata.project_name, exposure.name],
    };
  });
  // As dbt's ls, also for a project with nothing in it: exit 0, and a line saying so.
  if (nodes.length === 0 && exposures.length === 0) logger.warn(noNodesSelected(describeSelection(options) || undefined));
  return [...nodes, ...exposures];
}
